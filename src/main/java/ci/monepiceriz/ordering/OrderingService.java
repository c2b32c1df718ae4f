package ci.monepiceriz.ordering;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import ci.monepiceriz.cart.CartCheckout;
import ci.monepiceriz.cart.domain.CheckoutCart;
import ci.monepiceriz.catalog.Catalog;
import ci.monepiceriz.catalog.domain.Reservation;
import ci.monepiceriz.catalog.domain.SkuOffer;
import ci.monepiceriz.catalog.domain.StockRequest;
import ci.monepiceriz.delivery.Couriers;
import ci.monepiceriz.delivery.DeliveryProperties;
import ci.monepiceriz.delivery.DeliveryQuotes;
import ci.monepiceriz.delivery.domain.Destination;
import ci.monepiceriz.delivery.domain.DestinationCell;
import ci.monepiceriz.delivery.domain.QuoteOutcome;
import ci.monepiceriz.events.EventsProperties;
import ci.monepiceriz.events.Outbox;
import ci.monepiceriz.events.OutgoingEvent;
import ci.monepiceriz.ordering.domain.Fulfilment;
import ci.monepiceriz.ordering.domain.Order;
import ci.monepiceriz.ordering.domain.OrderLine;
import ci.monepiceriz.ordering.domain.OrderNumber;
import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.ordering.domain.OrderTransitions;
import ci.monepiceriz.ordering.domain.PaymentStatus;
import ci.monepiceriz.ordering.domain.PlaceOrder;
import ci.monepiceriz.ordering.domain.Refusal;
import ci.monepiceriz.ordering.persistence.R2dbcOrders;
import ci.monepiceriz.ordering.persistence.R2dbcOrders.HeldStock;
import ci.monepiceriz.ordering.persistence.R2dbcOrders.NewLine;
import ci.monepiceriz.ordering.persistence.R2dbcOrders.NewOrder;
import ci.monepiceriz.ordering.persistence.R2dbcOrders.NoNumberSequence;
import ci.monepiceriz.ordering.persistence.R2dbcOrders.OrderState;
import ci.monepiceriz.shared.Tokens;
import ci.monepiceriz.shared.idempotency.IdempotencyKeys;
import ci.monepiceriz.shared.persistence.Transactions;
import reactor.core.publisher.Flux;
import ci.monepiceriz.shared.persistence.Batches;
import reactor.core.publisher.Mono;

/**
 * The ordering module's API: placing an order from a cart, reading it, moving it through
 * its statuses. Every change is one transaction that also writes its events to the
 * outbox.
 */
@Service
public class OrderingService {

	static final String IDEMPOTENCY_SCOPE = "orders";

	static final String SHOPPER = "shopper";

	private final Transactions transactions;

	private final IdempotencyKeys idempotency;

	private final CartCheckout carts;

	private final Catalog catalog;

	private final DeliveryQuotes quotes;

	private final DeliveryProperties delivery;

	private final R2dbcOrders orders;

	private final Outbox outbox;

	private final OrderingProperties properties;

	private final EventsProperties events;

	private final Clock clock;

	private final RefundRequests refunds;

	private final Couriers couriers;

	OrderingService(Transactions transactions, IdempotencyKeys idempotency, CartCheckout carts, Catalog catalog,
			DeliveryQuotes quotes, DeliveryProperties delivery, R2dbcOrders orders, Outbox outbox,
			OrderingProperties properties, EventsProperties events, Clock clock, RefundRequests refunds,
			Couriers couriers) {
		this.refunds = refunds;
		this.couriers = couriers;
		this.transactions = transactions;
		this.idempotency = idempotency;
		this.carts = carts;
		this.catalog = catalog;
		this.quotes = quotes;
		this.delivery = delivery;
		this.orders = orders;
		this.outbox = outbox;
		this.properties = properties;
		this.events = events;
		this.clock = clock;
	}

	/** A placed order and the token that lets its shopper follow it. */
	public record Placed(Order order, String accessToken) {
	}

	// --- placing ----------------------------------------------------------------------

	/**
	 * Places an order from the command's cart: stock reserved, number taken, order and
	 * event written, the cart closed and the answer ({@code render}ed) kept with the
	 * idempotency key, all in one transaction, or nothing at all. The same key with the
	 * same request replays the first answer; with another request it is refused.
	 */
	public Mono<PlaceOutcome> place(PlaceOrder command, String idempotencyKey, byte[] requestHash,
			Function<Placed, byte[]> render) {
		// the first order of a day nobody prepared the numbers of (see OrderNumbering)
		// rolls back, creates them and goes again
		return placeOnce(command, idempotencyKey, requestHash, render).onErrorResume(NoNumberSequence.class,
				missing -> createNumbers(missing.day()).then(placeOnce(command, idempotencyKey, requestHash, render)));
	}

	private Mono<PlaceOutcome> placeOnce(PlaceOrder command, String idempotencyKey, byte[] requestHash,
			Function<Placed, byte[]> render) {
		return deliveryFee(command)
			.flatMap(fee -> transactions.inTransaction(idempotency.claim(IDEMPOTENCY_SCOPE, idempotencyKey, requestHash)
				.flatMap(claim -> afterClaim(claim, command, fee, idempotencyKey, render))))
			.onErrorResume(Rollback.class, rollback -> Mono.just(new PlaceOutcome.Refused(rollback.refusal)));
	}

	private Mono<PlaceOutcome> afterClaim(IdempotencyKeys.Claim claim, PlaceOrder command, DeliveryFee fee,
			String idempotencyKey, Function<Placed, byte[]> render) {
		if (claim instanceof IdempotencyKeys.Replay replay) {
			return Mono.just(new PlaceOutcome.Answered(replay.status(), replay.body(), Optional.empty()));
		}
		if (claim instanceof IdempotencyKeys.Mismatch) {
			return Mono.just(new PlaceOutcome.KeyReused());
		}
		return placeNew(command, fee, render)
			.flatMap(answer -> idempotency.remember(IDEMPOTENCY_SCOPE, idempotencyKey, answer.status(), answer.body())
				.thenReturn(answer));
	}

	/**
	 * The delivery fee, known before the transaction: a provider's answer must not be
	 * awaited while stock rows are locked. The fee the cart was quoted for this
	 * destination cell, while valid, is the fee charged (the shopper saw it; Yango may
	 * say otherwise by now); else a fresh quote, shown on the order before any payment.
	 * No delivery possible is a refusal, but only for a new order: a replayed key still
	 * gets its first answer.
	 */
	private Mono<DeliveryFee> deliveryFee(PlaceOrder command) {
		if (command.fulfilment() instanceof Fulfilment.Delivery to) {
			Destination destination = new Destination(to.address(), to.latitude(), to.longitude());
			return carts.quoteFor(command.cartToken(), DestinationCell.of(destination))
				.map(quote -> new DeliveryFee(quote.fee(), null))
				.switchIfEmpty(Mono.defer(() -> quotes.quote(destination).map(OrderingService::deliveryFee)));
		}
		return Mono.just(new DeliveryFee(0, null));
	}

	private static DeliveryFee deliveryFee(QuoteOutcome outcome) {
		if (outcome instanceof QuoteOutcome.Quoted quoted) {
			return new DeliveryFee(quoted.quote().fee(), null);
		}
		return new DeliveryFee(0, new Refusal.DeliveryUnavailable(((QuoteOutcome.NotDeliverable) outcome).reason()));
	}

	/** The fee to charge, or why there can be no delivery ({@code refusal} not null). */
	private record DeliveryFee(long amount, Refusal refusal) {
	}

	private Mono<PlaceOutcome.Answered> placeNew(PlaceOrder command, DeliveryFee fee, Function<Placed, byte[]> render) {
		return carts.checkOut(command.cartToken()).switchIfEmpty(refuse(new Refusal.CartNotFound())).flatMap(cart -> {
			if (cart.ordered()) {
				return refuse(new Refusal.CartAlreadyOrdered());
			}
			if (cart.lines().isEmpty()) {
				return refuse(new Refusal.EmptyCart());
			}
			if (fee.refusal() != null) {
				return refuse(fee.refusal());
			}
			return catalog.reserve(stockRequests(cart)).flatMap(reservation -> {
				if (reservation instanceof Reservation.Refused refused) {
					return refuse(unservable(cart, refused));
				}
				return record(cart, ((Reservation.Reserved) reservation).offers(), command, fee.amount());
			});
		}).map(placed -> new PlaceOutcome.Answered(201, render.apply(placed), Optional.of(placed.order().number())));
	}

	private static List<StockRequest> stockRequests(CheckoutCart cart) {
		return cart.lines().stream().map(line -> new StockRequest(line.skuId(), amount(line))).toList();
	}

	private static long amount(CheckoutCart.Line line) {
		return line.quantity() != null ? line.quantity() : line.grams();
	}

	private static Refusal unservable(CheckoutCart cart, Reservation.Refused refused) {
		Map<Long, String> codes = cart.lines()
			.stream()
			.collect(Collectors.toMap(CheckoutCart.Line::skuId, CheckoutCart.Line::skuCode));
		return new Refusal.LinesUnservable(refused.shortfalls()
			.stream()
			.map(shortfall -> new Refusal.Unservable(codes.get(shortfall.skuId()), shortfall.requested(),
					shortfall.available(), false))
			.toList());
	}

	/** With the stock held: checks the lines and writes the order. */
	private Mono<Placed> record(CheckoutCart cart, List<SkuOffer> offers, PlaceOrder command, long fee) {
		Map<Long, SkuOffer> byId = offers.stream().collect(Collectors.toMap(SkuOffer::skuId, Function.identity()));
		List<NewLine> lines = new ArrayList<>();
		List<Refusal.Unservable> invalid = new ArrayList<>();
		for (CheckoutCart.Line line : cart.lines()) {
			SkuOffer offer = byId.get(line.skuId());
			if (offer.check(line.quantity(), line.grams()) != SkuOffer.AmountCheck.OK) {
				// the SKU's rules changed since the line was set (step, bounds, sale
				// type)
				invalid.add(new Refusal.Unservable(offer.code(), amount(line), offer.stock(), true));
				continue;
			}
			lines.add(new NewLine(offer.skuId(), snapshot(offer, line), offer.stockFor(line.quantity(), line.grams())));
		}
		if (!invalid.isEmpty()) {
			return refuse(new Refusal.LinesUnservable(invalid));
		}
		long subtotal = lines.stream().mapToLong(line -> line.line().amount()).sum();
		if (command.fulfilment() instanceof Fulfilment.Delivery && subtotal < delivery.minimumSubtotal()) {
			return refuse(new Refusal.BelowDeliveryMinimum(delivery.minimumSubtotal(), subtotal));
		}
		String accessToken = Tokens.random();
		Instant now = clock.instant();
		NewOrder order = new NewOrder(LocalDate.ofInstant(now, properties.timeZone()), Tokens.sha256(accessToken),
				cart.id(), command.fulfilment(), command.customer(), subtotal, fee, now,
				now.plus(properties.paymentWindow()), lines, SHOPPER);
		return orders.insert(order).flatMap(number -> {
			Order placed = asOrder(order, number);
			return outbox.append(List.of(placedEvent(placed))).thenReturn(new Placed(placed, accessToken));
		});
	}

	private static OrderLine snapshot(SkuOffer offer, CheckoutCart.Line line) {
		return new OrderLine(offer.code(), offer.productName(), offer.label(), offer.saleType().name(), line.quantity(),
				line.grams(), offer.unitPrice(), offer.pricePerKg(),
				offer.amountFor(line.quantity(), line.grams()).xof(), line.grams() != null);
	}

	private static Order asOrder(NewOrder order, String number) {
		return new Order(number, OrderStatus.PENDING, PaymentStatus.UNPAID, 0, order.fulfilment(), order.customer(),
				order.lines().stream().map(NewLine::line).toList(), order.subtotal(), order.deliveryFee(),
				order.subtotal() + order.deliveryFee(), 0, order.placedAt(), order.paymentDeadline(), null);
	}

	private OutgoingEvent placedEvent(Order placed) {
		return new OutgoingEvent(events.ordersTopic(), placed.number(), OrderPlaced.TYPE, OrderPlaced.VERSION,
				placed.placedAt(),
				new OrderPlaced(placed.number(), placed.status().name(), placed.paymentStatus().name(),
						placed.fulfilment().type(), placed.subtotal(), placed.deliveryFee(), placed.total(),
						placed.estimated(), placed.placedAt(), placed.paymentDeadline(), placed.lines()));
	}

	/**
	 * Creates the sequence of a shop day's order numbers unless it exists (several
	 * instances may do it at once).
	 */
	public Mono<Void> createNumbers(LocalDate day) {
		ZoneId zone = properties.timeZone();
		return orders.createNumbers(day, day.atStartOfDay(zone).toInstant(),
				day.plusDays(1).atStartOfDay(zone).toInstant());
	}

	/** Drops the sequences of the days before {@code day}; how many it dropped. */
	public Mono<Long> dropNumbersBefore(LocalDate day) {
		return orders.dropNumbersBefore(day);
	}

	/** The shop's day now. */
	LocalDate today() {
		return LocalDate.ofInstant(clock.instant(), properties.timeZone());
	}

	private static <T> Mono<T> refuse(Refusal refusal) {
		return Mono.error(() -> new Rollback(refusal));
	}

	/**
	 * Carries a refusal out of the placing transaction, making it roll back: the claimed
	 * key, the cart lock and any stock taken are all undone.
	 */
	private static final class Rollback extends RuntimeException {

		private final transient Refusal refusal;

		Rollback(Refusal refusal) {
			super(refusal.getClass().getSimpleName(), null, false, false);
			this.refusal = refusal;
		}

	}

	// --- reading ----------------------------------------------------------------------

	/**
	 * The order of this number when {@code accessToken} is its token; empty otherwise (an
	 * unknown order and a wrong token look the same).
	 */
	public Mono<Order> find(String number, String accessToken) {
		if (!OrderNumber.looksValid(number) || !Tokens.looksValid(accessToken)) {
			return Mono.empty();
		}
		byte[] hash = Tokens.sha256(accessToken);
		return orders.findByNumber(number)
			.filter(stored -> MessageDigest.isEqual(stored.accessTokenHash(), hash))
			.map(R2dbcOrders.StoredOrder::order);
	}

	/**
	 * The order of this number, without any access check, for what the shop itself says
	 * about it (the confirmation e-mail); empty if none.
	 */
	public Mono<Order> order(String number) {
		if (!OrderNumber.looksValid(number)) {
			return Mono.empty();
		}
		return orders.findByNumber(number).map(R2dbcOrders.StoredOrder::order);
	}

	/**
	 * The order's status now and at each change, read every {@code every}, ending once
	 * the order reaches a final status. Polling one row by its unique number is cheap,
	 * and it sees changes made by any instance.
	 */
	public Flux<StatusUpdate> watch(String number, Duration every) {
		return Flux.interval(Duration.ZERO, every)
			.onBackpressureDrop()
			// a client that leaves cancels the stream: the read in flight still runs to
			// its
			// end (see Transactions)
			.concatMap(tick -> Transactions.uncancellable(orders.state(number)), 1)
			.distinctUntilChanged(OrderState::version)
			.map(state -> new StatusUpdate(state.number(), state.status(), state.status().label(), state.version()))
			.takeUntil(update -> update.status().isFinal());
	}

	/** One step of an order, as its event stream tells it. */
	public record StatusUpdate(String number, OrderStatus status, String statusLabel, int version) {
	}

	// --- paying (ordering's API for the payment module) ------------------------------

	/**
	 * The order's payable state when {@code accessToken} is its token; empty otherwise
	 * (an unknown order and a wrong token look the same).
	 */
	public Mono<PayableOrder> payable(String number, String accessToken) {
		// the order read to check the token already holds everything payment needs
		return find(number, accessToken).map(order -> new PayableOrder(order.number(), order.status(),
				order.paymentStatus(), order.total(), order.paymentDeadline(), order.customer().name(),
				order.customer().phone(), order.customer().email()));
	}

	/**
	 * The order's payable state as it is now, without any access check; empty if none.
	 */
	public Mono<PayableOrder> payableState(String number) {
		return payable(number, false);
	}

	/**
	 * The order's payable state, its row locked until the caller's transaction ends: to
	 * be called inside one ({@code Transactions.inTransaction}).
	 */
	public Mono<PayableOrder> lockForPayment(String number) {
		return payable(number, true);
	}

	/**
	 * Records on the order the 0 to 4 XOF rounding discount of its payment (inside the
	 * caller's transaction).
	 */
	public Mono<Void> recordRoundingDiscount(String number, long discount) {
		if (discount < 0 || discount > 4) {
			return Mono.error(new IllegalArgumentException("a rounding discount is 0 to 4 XOF: " + discount));
		}
		return orders.setRoundingDiscount(number, discount);
	}

	/**
	 * Records that a PENDING, unpaid order was paid: CONFIRMED and PAID, the transition
	 * by {@code actor} and {@code OrderStatusChanged} in the outbox, all inside the
	 * caller's transaction (which should hold the order's row, see
	 * {@link #lockForPayment}). The move is conditional on the status and version read,
	 * so it happens at most once and never after the expiry job cancelled the order;
	 * anything else answers {@code Illegal} or {@code Conflict} and writes nothing.
	 */
	public Mono<TransitionOutcome> confirmPayment(String number, long amountPaid, String actor) {
		return orders.state(number).flatMap(state -> {
			if (state.status() != OrderStatus.PENDING) {
				return Mono
					.<TransitionOutcome>just(new TransitionOutcome.Illegal(state.status(), OrderStatus.CONFIRMED));
			}
			Instant now = clock.instant();
			return orders.markPaid(state, amountPaid, now)
				.flatMap(version -> recordMove(state, OrderStatus.CONFIRMED, actor, PAID, version, now)
					.thenReturn((TransitionOutcome) new TransitionOutcome.Moved(state.number(), OrderStatus.PENDING,
							OrderStatus.CONFIRMED, version)))
				.defaultIfEmpty(new TransitionOutcome.Conflict(state.version()));
		}).defaultIfEmpty(new TransitionOutcome.NotFound(number));
	}

	static final String PAID = "PAID";

	private Mono<PayableOrder> payable(String number, boolean lock) {
		if (!OrderNumber.looksValid(number)) {
			return Mono.empty();
		}
		return orders.payable(number, lock)
			.map(state -> new PayableOrder(state.number(), state.status(), state.paymentStatus(), state.total(),
					state.paymentDeadline(), state.customerName(), state.customerPhone(), state.customerEmail()));
	}

	// --- moving -----------------------------------------------------------------------

	/**
	 * Moves an order to {@code to} if the state machine allows it from its current
	 * status, and, when {@code expectedVersion} is given, only if the order is still at
	 * that version. Two concurrent moves of one order: one wins, the other gets
	 * {@link TransitionOutcome.Conflict} and changes nothing. A move to CANCELLED gives
	 * the order's stock back.
	 */
	public Mono<TransitionOutcome> transition(String number, OrderStatus to, String actor, String reason,
			Optional<Integer> expectedVersion) {
		return transactions
			.inTransaction(orders.state(number)
				.flatMap(state -> move(state, to, actor, reason, expectedVersion))
				.defaultIfEmpty(new TransitionOutcome.NotFound(number)))
			.onErrorResume(ConflictRollback.class, conflict -> Mono.just(conflict.outcome));
	}

	private Mono<TransitionOutcome> move(OrderState state, OrderStatus to, String actor, String reason,
			Optional<Integer> expectedVersion) {
		if (expectedVersion.filter(Predicate.isEqual(state.version()).negate()).isPresent()) {
			return Mono.just(new TransitionOutcome.Conflict(state.version()));
		}
		if (!OrderTransitions.isLegal(state.status(), to)) {
			return Mono.just(new TransitionOutcome.Illegal(state.status(), to));
		}
		Instant now = clock.instant();
		// a cancellation always says why (the schema insists)
		String why = to == OrderStatus.CANCELLED && reason == null ? "UNSPECIFIED" : reason;
		return orders.move(state, to, why, now)
			.switchIfEmpty(Mono.error(() -> new ConflictRollback(new TransitionOutcome.Conflict(state.version() + 1))))
			// the stock (if any) goes back last, to hold SKU rows briefly (see
			// expireBatch)
			.flatMap(version -> recordMove(state, to, actor, why, version, now).then(refundIfPaid(state, to, why, now))
				.then(bookCourierIfReady(state, to, now))
				.then(releaseIfCancelled(state, to))
				.thenReturn(new TransitionOutcome.Moved(state.number(), state.status(), to, version)));
	}

	/**
	 * Cancelling a paid order owes its money back: the refund is recorded through
	 * {@link RefundRequests} in the cancelling transaction, so exactly one cancellation
	 * (the one whose conditional move won) records it.
	 */
	private Mono<Void> refundIfPaid(OrderState state, OrderStatus to, String why, Instant now) {
		if (to != OrderStatus.CANCELLED) {
			return Mono.empty();
		}
		return orders.money(state.id()).flatMap(money -> {
			long owed = money.amountPaid() - money.amountRefunded();
			boolean paid = money.paymentStatus() == PaymentStatus.PAID
					|| money.paymentStatus() == PaymentStatus.PARTIALLY_REFUNDED;
			if (!paid || owed <= 0) {
				return Mono.empty();
			}
			return refunds.paidOrderCancelled(new RefundRequests.PaidOrderCancelled(state.number(), owed,
					money.customerName(), money.customerPhone(), why, now));
		});
	}

	/**
	 * A DELIVERY order that becomes READY needs a courier: the booking request is
	 * recorded through {@link Couriers} in the moving transaction, so exactly the move
	 * that won records it, and a crash leaves either both or neither.
	 */
	private Mono<Void> bookCourierIfReady(OrderState state, OrderStatus to, Instant now) {
		if (to != OrderStatus.READY) {
			return Mono.empty();
		}
		return orders.findByNumber(state.number()).map(R2dbcOrders.StoredOrder::order).flatMap(order -> {
			if (!(order.fulfilment() instanceof Fulfilment.Delivery delivery)) {
				return Mono.empty();
			}
			List<Couriers.Item> items = order.lines().stream().map(OrderingService::courierItem).toList();
			return couriers.bookingRequested(new Couriers.BookingRequest(order.number(), delivery.address(),
					delivery.latitude(), delivery.longitude(), delivery.phone(), order.customer().name(),
					delivery.instructions(), items, now));
		});
	}

	/** A UNIT line is its pieces; a weighed line one piece of its amount. */
	private static Couriers.Item courierItem(OrderLine line) {
		String title = line.productName() + " – " + line.label();
		if (line.quantity() != null && line.unitPrice() != null) {
			return new Couriers.Item(title, line.quantity(), line.unitPrice());
		}
		return new Couriers.Item(title, 1, line.amount());
	}

	/**
	 * Delivery says the courier handed a DELIVERY order over: READY becomes COMPLETED,
	 * inside the caller's transaction, recorded and published like any move. Answers
	 * false and writes nothing when the order is not READY (already completed by an
	 * earlier status, or changed by staff).
	 */
	public Mono<Boolean> completeDelivered(String number, String actor, String reason) {
		return orders.state(number).flatMap(state -> {
			if (state.status() != OrderStatus.READY) {
				return Mono.just(false);
			}
			Instant now = clock.instant();
			return orders.move(state, OrderStatus.COMPLETED, reason, now)
				.flatMap(version -> recordMove(state, OrderStatus.COMPLETED, actor, reason, version, now)
					.thenReturn(true))
				.defaultIfEmpty(false);
		}).defaultIfEmpty(false);
	}

	/**
	 * Records that {@code amount} of a paid order's money went back to its customer
	 * (inside the caller's transaction): the order becomes REFUNDED once all it paid is
	 * back, PARTIALLY_REFUNDED before. Empty when the order is not paid or would be
	 * refunded more than it paid (nothing written).
	 */
	public Mono<PaymentStatus> recordRefund(String number, long amount) {
		if (amount <= 0) {
			return Mono.error(new IllegalArgumentException("a refund is a positive amount: " + amount));
		}
		return orders.addRefunded(number, amount, clock.instant());
	}

	/**
	 * What every move of one order writes besides the order row: its transition and its
	 * {@code OrderStatusChanged} event.
	 */
	private Mono<Void> recordMove(OrderState from, OrderStatus to, String actor, String why, int version, Instant now) {
		return orders.recordTransitions(List.of(from.id()), from.status(), to, actor, why, now)
			.then(outbox.append(List.of(statusChanged(from.number(), from.status(), to, why, actor, version, now))));
	}

	private Mono<Void> releaseIfCancelled(OrderState state, OrderStatus to) {
		if (!OrderTransitions.releasesStock(to)) {
			return Mono.empty();
		}
		return orders.heldStock(List.of(state.id())).flatMap(held -> catalog.release(stockOf(held)));
	}

	/** The stock that order lines hold, to give back. */
	private static List<StockRequest> stockOf(List<HeldStock> held) {
		return held.stream().map(line -> new StockRequest(line.skuId(), line.reserved())).toList();
	}

	private OutgoingEvent statusChanged(String number, OrderStatus from, OrderStatus to, String reason, String actor,
			int version, Instant at) {
		return new OutgoingEvent(events.ordersTopic(), number, OrderStatusChanged.TYPE, OrderStatusChanged.VERSION, at,
				new OrderStatusChanged(number, from.name(), to.name(), reason, actor, version, at));
	}

	/** Rolls a transition back when the order changed under it. */
	private static final class ConflictRollback extends RuntimeException {

		private final transient TransitionOutcome.Conflict outcome;

		ConflictRollback(TransitionOutcome.Conflict outcome) {
			super("order changed concurrently", null, false, false);
			this.outcome = outcome;
		}

	}

	// --- expiring ---------------------------------------------------------------------

	static final String PAYMENT_EXPIRED = "PAYMENT_EXPIRED";

	static final String EXPIRY_ACTOR = "system:payment-expiry";

	/**
	 * Cancels every PENDING order whose payment window has closed and gives its stock
	 * back, one bounded batch per transaction. Safe with several instances running it at
	 * once: each batch locks its orders and skips the ones locked elsewhere, and an order
	 * is cancelled only from PENDING, so its stock comes back exactly once. Answers how
	 * many orders this call cancelled.
	 */
	public Mono<Long> expireOverdue() {
		return Batches.untilShort(this::expireBatch, properties.expiryBatch());
	}

	private Mono<Long> expireBatch() {
		Instant now = clock.instant();
		return transactions.inTransaction(orders.lockExpired(now, properties.expiryBatch()).flatMap(expired -> {
			if (expired.isEmpty()) {
				return Mono.just(0L);
			}
			List<Long> ids = expired.stream().map(OrderState::id).toList();
			// the stock goes back last: SKU rows are what placing orders wait for, so
			// they
			// stay locked only for the last statement and the commit
			return orders.heldStock(ids)
				.flatMap(held -> orders.cancelExpired(ids, PAYMENT_EXPIRED, now)
					.flatMap(cancelled -> orders
						.recordTransitions(ids, OrderStatus.PENDING, OrderStatus.CANCELLED, EXPIRY_ACTOR,
								PAYMENT_EXPIRED, now)
						.then(outbox.append(expiryEvents(cancelled, held, now)))
						.then(catalog.release(stockOf(held)))
						.thenReturn((long) cancelled.size())));
		}));
	}

	private List<OutgoingEvent> expiryEvents(List<OrderState> cancelled, List<HeldStock> held, Instant now) {
		Map<Long, List<HeldStock>> byOrder = held.stream().collect(Collectors.groupingBy(HeldStock::orderId));
		List<OutgoingEvent> expired = new ArrayList<>();
		for (OrderState order : cancelled) {
			List<OrderReservationExpired.Released> released = byOrder.getOrDefault(order.id(), List.of())
				.stream()
				.map(line -> new OrderReservationExpired.Released(line.skuCode(), line.reserved()))
				.toList();
			expired.add(new OutgoingEvent(events.ordersTopic(), order.number(), OrderReservationExpired.TYPE,
					OrderReservationExpired.VERSION, now, new OrderReservationExpired(order.number(), released)));
			expired.add(statusChanged(order.number(), OrderStatus.PENDING, OrderStatus.CANCELLED, PAYMENT_EXPIRED,
					EXPIRY_ACTOR, order.version(), now));
		}
		return expired;
	}

}
