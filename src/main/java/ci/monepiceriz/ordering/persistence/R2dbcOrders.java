package ci.monepiceriz.ordering.persistence;

import static ci.monepiceriz.shared.persistence.Binds.nullable;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.core.NestedExceptionUtils;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

import ci.monepiceriz.ordering.domain.Customer;
import ci.monepiceriz.ordering.domain.Fulfilment;
import ci.monepiceriz.ordering.domain.Order;
import ci.monepiceriz.ordering.domain.OrderLine;
import ci.monepiceriz.ordering.domain.OrderNumber;
import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.ordering.domain.PaymentStatus;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/**
 * Orders over R2DBC. Every write runs inside the caller's transaction; the order row's
 * {@code version} makes concurrent changes of one order fail rather than overwrite each
 * other.
 */
@Repository
public class R2dbcOrders {

	private final DatabaseClient db;

	public R2dbcOrders(DatabaseClient db) {
		this.db = db;
	}

	// --- numbers ----------------------------------------------------------------------

	private static final DateTimeFormatter DAY_DIGITS = DateTimeFormatter.BASIC_ISO_DATE;

	/**
	 * The sequence of a shop day's order numbers. Its name is made of digits from a date
	 * only, so it is safe to write into DDL.
	 */
	static String sequenceOf(LocalDate day) {
		return "order_number_" + DAY_DIGITS.format(day);
	}

	private static final Pattern SEQUENCE_NAME = Pattern.compile("order_number_([0-9]{8})");

	/**
	 * A day's numbers have no sequence yet: create it ({@link #createNumbers}) and retry.
	 */
	public static final class NoNumberSequence extends RuntimeException {

		private final LocalDate day;

		NoNumberSequence(LocalDate day, Throwable cause) {
			super("no order number sequence for " + day, cause, false, false);
			this.day = day;
		}

		public LocalDate day() {
			return day;
		}

	}

	/**
	 * Creates the sequence of {@code day}'s numbers unless it exists, starting after the
	 * highest number that day already has (none for a day to come); several instances may
	 * do it at once.
	 */
	public Mono<Void> createNumbers(LocalDate day, Instant dayStart, Instant nextDayStart) {
		String name = sequenceOf(day);
		String prefix = OrderNumber.prefix(day);
		// the day's orders by customer_order_placed_at_idx; the digits after the prefix
		// are the day's sequence (4 or more of them, so they are compared as numbers)
		return db.sql("""
				SELECT to_regclass(:name) IS NOT NULL AS present,
				       (SELECT coalesce(max(substring(number FROM :from)::bigint), 0) FROM customer_order
				         WHERE placed_at >= :start AND placed_at < :end AND left(number, :length) = :prefix) AS highest
				""")
			.bind("name", name)
			.bind("from", prefix.length() + 1)
			.bind("length", prefix.length())
			.bind("prefix", prefix)
			.bind("start", dayStart)
			.bind("end", nextDayStart)
			.map(row -> Boolean.TRUE.equals(row.get("present", Boolean.class)) ? -1L : row.get("highest", Long.class))
			.one()
			.filter(highest -> highest >= 0)
			.flatMap(highest -> db.sql("CREATE SEQUENCE IF NOT EXISTS " + name + " AS integer START " + (highest + 1))
				.then()
				// two instances creating it at once: one of them may fail on the
				// catalog's
				// unique index, and the sequence is there all the same
				.onErrorResume(error -> exists(name).flatMap(present -> present ? Mono.empty() : Mono.error(error))));
	}

	private Mono<Boolean> exists(String sequence) {
		return db.sql("SELECT to_regclass(:name) IS NOT NULL AS present")
			.bind("name", sequence)
			.map(row -> Boolean.TRUE.equals(row.get("present", Boolean.class)))
			.one();
	}

	/** Drops the number sequences of the days before {@code day}; answers how many. */
	public Mono<Long> dropNumbersBefore(LocalDate day) {
		return db.sql("""
				SELECT c.relname FROM pg_class c
				 WHERE c.relkind = 'S' AND c.relnamespace = current_schema()::regnamespace
				   AND c.relname ~ '^order_number_[0-9]{8}$' AND c.relname < :first
				""")
			.bind("first", sequenceOf(day))
			.map(row -> row.get("relname", String.class))
			.all()
			.filter(name -> SEQUENCE_NAME.matcher(name).matches())
			.concatMap(name -> db.sql("DROP SEQUENCE IF EXISTS " + name).fetch().rowsUpdated().thenReturn(name))
			.count();
	}

	/** A new order's row, as written once at placement. */
	public record NewOrder(LocalDate day, byte[] accessTokenHash, long cartId, Fulfilment fulfilment, Customer customer,
			long subtotal, long deliveryFee, Instant placedAt, Instant paymentDeadline, List<NewLine> lines,
			String actor) {
	}

	/** A line snapshot and the stock it holds. */
	public record NewLine(long skuId, OrderLine line, long reserved) {
	}

	// one round trip for the number, the order, its lines and its first transition
	private static final String INSERT_ORDER = """
			WITH n AS (
			    SELECT nextval(:sequence::regclass) AS v
			), o AS (
			    INSERT INTO customer_order (number, access_token_hash, status, payment_status, cart_id, fulfilment,
			                                pickup_slot_start, pickup_slot_end, delivery_address, delivery_latitude,
			                                delivery_longitude, delivery_phone, delivery_instructions, customer_name,
			                                customer_phone, customer_email, subtotal, delivery_fee, total, placed_at,
			                                payment_deadline, updated_at)
			    SELECT :prefix || lpad(n.v::text, greatest(4, length(n.v::text)), '0'), :tokenHash, 'PENDING', 'UNPAID',
			           :cartId, :fulfilment, :slotStart, :slotEnd, :address, :latitude, :longitude, :deliveryPhone,
			           :instructions, :name, :phone, :email, :subtotal, :deliveryFee, :total, :placedAt, :deadline,
			           :placedAt
			      FROM n
			    RETURNING id, number
			), lines AS (
			    INSERT INTO order_line (order_id, position, sku_id, sku_code, product_name, sku_label, sale_type,
			                            quantity, grams, unit_price, price_per_kg, amount, reserved)
			    SELECT o.id, x.ord - 1, x.sku_id, x.code, x.name, x.label, x.sale_type, x.quantity, x.grams,
			           x.unit_price, x.price_per_kg, x.amount, x.reserved
			      FROM o, unnest(:skuIds::bigint[], :codes::text[], :names::text[], :labels::text[],
			                     :saleTypes::text[], :quantities::int[], :grams::int[], :unitPrices::bigint[],
			                     :pricesPerKg::bigint[], :amounts::bigint[], :reserved::bigint[])
			           WITH ORDINALITY AS x(sku_id, code, name, label, sale_type, quantity, grams, unit_price,
			                                price_per_kg, amount, reserved, ord)
			), transition AS (
			    INSERT INTO order_transition (order_id, from_status, to_status, actor, reason, at)
			    SELECT o.id, NULL, 'PENDING', :actor, NULL, :placedAt FROM o
			)
			SELECT number FROM o
			""";

	/**
	 * Writes a new order with the next number of its day, its lines and its first
	 * transition; answers its number. Fails with {@link NoNumberSequence} when the day
	 * has no sequence yet (nothing is written: the transaction must roll back).
	 */
	public Mono<String> insert(NewOrder order) {
		List<OrderLine> lines = order.lines().stream().map(NewLine::line).toList();
		GenericExecuteSpec spec = db.sql(INSERT_ORDER)
			.bind("sequence", sequenceOf(order.day()))
			.bind("prefix", OrderNumber.prefix(order.day()))
			.bind("tokenHash", order.accessTokenHash())
			.bind("cartId", order.cartId())
			.bind("fulfilment", order.fulfilment().type())
			.bind("name", order.customer().name())
			.bind("phone", order.customer().phone())
			.bind("subtotal", order.subtotal())
			.bind("deliveryFee", order.deliveryFee())
			.bind("total", order.subtotal() + order.deliveryFee())
			.bind("placedAt", order.placedAt())
			.bind("deadline", order.paymentDeadline())
			.bind("actor", order.actor())
			.bind("skuIds", order.lines().stream().map(NewLine::skuId).toArray(Long[]::new))
			.bind("codes", lines.stream().map(OrderLine::skuCode).toArray(String[]::new))
			.bind("names", lines.stream().map(OrderLine::productName).toArray(String[]::new))
			.bind("labels", lines.stream().map(OrderLine::label).toArray(String[]::new))
			.bind("saleTypes", lines.stream().map(OrderLine::saleType).toArray(String[]::new))
			.bind("quantities", lines.stream().map(OrderLine::quantity).toArray(Integer[]::new))
			.bind("grams", lines.stream().map(OrderLine::grams).toArray(Integer[]::new))
			.bind("unitPrices", lines.stream().map(OrderLine::unitPrice).toArray(Long[]::new))
			.bind("pricesPerKg", lines.stream().map(OrderLine::pricePerKg).toArray(Long[]::new))
			.bind("amounts", lines.stream().map(OrderLine::amount).toArray(Long[]::new))
			.bind("reserved", order.lines().stream().map(NewLine::reserved).toArray(Long[]::new));
		spec = nullable(spec, "email", order.customer().email(), String.class);
		Fulfilment.Slot slot = order.fulfilment() instanceof Fulfilment.Pickup pickup ? pickup.slot() : null;
		spec = nullable(spec, "slotStart", slot == null ? null : slot.start(), Instant.class);
		spec = nullable(spec, "slotEnd", slot == null ? null : slot.end(), Instant.class);
		Fulfilment.Delivery delivery = order.fulfilment() instanceof Fulfilment.Delivery found ? found : null;
		spec = nullable(spec, "address", delivery == null ? null : delivery.address(), String.class);
		spec = nullable(spec, "latitude", delivery == null ? null : delivery.latitude(), Double.class);
		spec = nullable(spec, "longitude", delivery == null ? null : delivery.longitude(), Double.class);
		spec = nullable(spec, "deliveryPhone", delivery == null ? null : delivery.phone(), String.class);
		spec = nullable(spec, "instructions", delivery == null ? null : delivery.instructions(), String.class);
		return spec.map(row -> row.get("number", String.class))
			.one()
			.onErrorMap(R2dbcOrders::undefinedTable, error -> new NoNumberSequence(order.day(), error));
	}

	private static boolean undefinedTable(Throwable error) {
		return NestedExceptionUtils.getMostSpecificCause(error) instanceof R2dbcException cause
				&& "42P01".equals(cause.getSqlState());
	}

	// --- reads ------------------------------------------------------------------------

	/** An order with what is needed to authorise and change it. */
	public record StoredOrder(long id, byte[] accessTokenHash, Order order) {
	}

	// customer_order's unique number index, order_line's primary key
	private static final String ORDER_WITH_LINES = """
			SELECT o.id, o.number, o.access_token_hash, o.status, o.payment_status, o.version, o.fulfilment,
			       o.pickup_slot_start, o.pickup_slot_end, o.delivery_address, o.delivery_latitude,
			       o.delivery_longitude, o.delivery_phone, o.delivery_instructions, o.customer_name, o.customer_phone,
			       o.customer_email, o.subtotal, o.delivery_fee, o.total, o.amount_paid, o.placed_at,
			       o.payment_deadline, o.cancel_reason,
			       l.sku_code, l.product_name, l.sku_label, l.sale_type, l.quantity, l.grams, l.unit_price,
			       l.price_per_kg, l.amount
			  FROM customer_order o
			  JOIN order_line l ON l.order_id = o.id
			 WHERE o.number = :number
			 ORDER BY l.position
			""";

	/** The order of this number with its lines; empty when there is none. */
	public Mono<StoredOrder> findByNumber(String number) {
		return db.sql(ORDER_WITH_LINES)
			.bind("number", number)
			.map(R2dbcOrders::orderRow)
			.all()
			.collectList()
			.filter(rows -> !rows.isEmpty())
			.map(R2dbcOrders::withAllLines);
	}

	/** Each joined row gives the order with that row's line only. */
	private static StoredOrder orderRow(Readable row) {
		Fulfilment fulfilment = "DELIVERY".equals(row.get("fulfilment", String.class))
				? new Fulfilment.Delivery(row.get("delivery_address", String.class),
						row.get("delivery_latitude", Double.class), row.get("delivery_longitude", Double.class),
						row.get("delivery_phone", String.class), row.get("delivery_instructions", String.class))
				: new Fulfilment.Pickup(row.get("pickup_slot_start", Instant.class) == null ? null
						: new Fulfilment.Slot(row.get("pickup_slot_start", Instant.class),
								row.get("pickup_slot_end", Instant.class)));
		Order order = new Order(row.get("number", String.class), OrderStatus.valueOf(row.get("status", String.class)),
				PaymentStatus.valueOf(row.get("payment_status", String.class)), row.get("version", Integer.class),
				fulfilment,
				new Customer(row.get("customer_name", String.class), row.get("customer_phone", String.class),
						row.get("customer_email", String.class)),
				List.of(line(row)), row.get("subtotal", Long.class), row.get("delivery_fee", Long.class),
				row.get("total", Long.class), row.get("amount_paid", Long.class), row.get("placed_at", Instant.class),
				row.get("payment_deadline", Instant.class), row.get("cancel_reason", String.class));
		return new StoredOrder(row.get("id", Long.class), row.get("access_token_hash", byte[].class), order);
	}

	private static StoredOrder withAllLines(List<StoredOrder> rows) {
		StoredOrder first = rows.get(0);
		Order order = first.order();
		List<OrderLine> lines = rows.stream().map(row -> row.order().lines().get(0)).toList();
		return new StoredOrder(first.id(), first.accessTokenHash(),
				new Order(order.number(), order.status(), order.paymentStatus(), order.version(), order.fulfilment(),
						order.customer(), lines, order.subtotal(), order.deliveryFee(), order.total(),
						order.amountPaid(), order.placedAt(), order.paymentDeadline(), order.cancelReason()));
	}

	private static OrderLine line(Readable row) {
		String saleType = row.get("sale_type", String.class);
		return new OrderLine(row.get("sku_code", String.class), row.get("product_name", String.class),
				row.get("sku_label", String.class), saleType, row.get("quantity", Integer.class),
				row.get("grams", Integer.class), row.get("unit_price", Long.class), row.get("price_per_kg", Long.class),
				row.get("amount", Long.class), "WEIGHT".equals(saleType));
	}

	/** The status and version of an order, read to decide a transition. */
	public record OrderState(long id, String number, OrderStatus status, int version) {
	}

	public Mono<OrderState> state(String number) {
		return db.sql("SELECT id, number, status, version FROM customer_order WHERE number = :number")
			.bind("number", number)
			.map(R2dbcOrders::stateRow)
			.one();
	}

	private static OrderState stateRow(Readable row) {
		return new OrderState(row.get("id", Long.class), row.get("number", String.class),
				OrderStatus.valueOf(row.get("status", String.class)), row.get("version", Integer.class));
	}

	private static final String PAYABLE = """
			SELECT number, status, payment_status, total, payment_deadline, customer_name, customer_phone,
			       customer_email
			  FROM customer_order WHERE number = :number
			""";

	/**
	 * An order's payable state; with {@code lock}, its row is locked until the caller's
	 * transaction ends (two payment starts of one order take turns).
	 */
	public Mono<PayableState> payable(String number, boolean lock) {
		return db.sql(lock ? PAYABLE + " FOR UPDATE" : PAYABLE)
			.bind("number", number)
			.map(row -> new PayableState(row.get("number", String.class),
					OrderStatus.valueOf(row.get("status", String.class)),
					PaymentStatus.valueOf(row.get("payment_status", String.class)), row.get("total", Long.class),
					row.get("payment_deadline", Instant.class), row.get("customer_name", String.class),
					row.get("customer_phone", String.class), row.get("customer_email", String.class)))
			.one();
	}

	/** An order as payment sees it. */
	public record PayableState(String number, OrderStatus status, PaymentStatus paymentStatus, long total,
			Instant paymentDeadline, String customerName, String customerPhone, String customerEmail) {
	}

	/** Where an order's money is: paid, given back, and to whom. */
	public record MoneyState(PaymentStatus paymentStatus, long amountPaid, long amountRefunded, String customerName,
			String customerPhone) {
	}

	public Mono<MoneyState> money(long orderId) {
		return db.sql("""
				SELECT payment_status, amount_paid, amount_refunded, customer_name, customer_phone
				  FROM customer_order WHERE id = :id
				""")
			.bind("id", orderId)
			.map(row -> new MoneyState(PaymentStatus.valueOf(row.get("payment_status", String.class)),
					row.get("amount_paid", Long.class), row.get("amount_refunded", Long.class),
					row.get("customer_name", String.class), row.get("customer_phone", String.class)))
			.one();
	}

	/**
	 * Adds {@code amount} to what was given back of a paid order: REFUNDED once all of
	 * it, PARTIALLY_REFUNDED before; answers the new payment status, or empty when the
	 * order is not (partly) paid or would be refunded more than it paid (nothing
	 * written).
	 */
	public Mono<PaymentStatus> addRefunded(String number, long amount, Instant now) {
		return db.sql("""
				UPDATE customer_order
				   SET amount_refunded = amount_refunded + :amount, updated_at = :now,
				       payment_status = CASE WHEN amount_refunded + :amount >= amount_paid THEN 'REFUNDED'
				                             ELSE 'PARTIALLY_REFUNDED' END
				 WHERE number = :number AND payment_status IN ('PAID', 'PARTIALLY_REFUNDED')
				   AND amount_refunded + :amount <= amount_paid
				RETURNING payment_status
				""")
			.bind("amount", amount)
			.bind("now", now)
			.bind("number", number)
			.map(row -> PaymentStatus.valueOf(row.get("payment_status", String.class)))
			.one();
	}

	/** Records the 0-4 XOF the shop forgoes so that the charge is a multiple of 5. */
	public Mono<Void> setRoundingDiscount(String number, long discount) {
		return db.sql("UPDATE customer_order SET rounding_discount = :discount WHERE number = :number")
			.bind("discount", (short) discount)
			.bind("number", number)
			.fetch()
			.rowsUpdated()
			.then();
	}

	// --- changes ----------------------------------------------------------------------

	/**
	 * Moves the order from the status and version the caller saw; empty when someone else
	 * changed it first (then nothing is written). Answers the new version.
	 */
	public Mono<Integer> move(OrderState seen, OrderStatus to, String reason, Instant now) {
		GenericExecuteSpec spec = db.sql("""
				UPDATE customer_order
				   SET status = :to, version = version + 1, updated_at = :now,
				       cancel_reason = CASE WHEN :to = 'CANCELLED' THEN :reason ELSE cancel_reason END,
				       payment_deadline = CASE WHEN :to = 'PENDING' THEN payment_deadline END
				 WHERE id = :id AND version = :version AND status = :from
				RETURNING version
				""")
			.bind("to", to.name())
			.bind("now", now)
			.bind("id", seen.id())
			.bind("version", seen.version())
			.bind("from", seen.status().name());
		spec = nullable(spec, "reason", reason, String.class);
		return spec.map(row -> row.get("version", Integer.class)).one();
	}

	/** Records transitions of several orders at once (same move, same actor). */
	/**
	 * PENDING and UNPAID → CONFIRMED and PAID, with the amount paid, if the order is
	 * still at the version seen; its new version, or empty when it changed (nothing
	 * written).
	 */
	public Mono<Integer> markPaid(OrderState seen, long amountPaid, Instant now) {
		return db.sql("""
				UPDATE customer_order
				   SET status = 'CONFIRMED', payment_status = 'PAID', amount_paid = :amount, payment_deadline = NULL,
				       version = version + 1, updated_at = :now
				 WHERE id = :id AND version = :version AND status = 'PENDING' AND payment_status = 'UNPAID'
				RETURNING version
				""")
			.bind("amount", amountPaid)
			.bind("now", now)
			.bind("id", seen.id())
			.bind("version", seen.version())
			.map(row -> row.get("version", Integer.class))
			.one();
	}

	public Mono<Void> recordTransitions(Collection<Long> orderIds, OrderStatus from, OrderStatus to, String actor,
			String reason, Instant at) {
		GenericExecuteSpec spec = db.sql("""
				INSERT INTO order_transition (order_id, from_status, to_status, actor, reason, at)
				SELECT id, :from, :to, :actor, :reason, :at FROM unnest(:ids::bigint[]) AS t(id)
				""")
			.bind("from", from.name())
			.bind("to", to.name())
			.bind("actor", actor)
			.bind("at", at)
			.bind("ids", orderIds.toArray(Long[]::new));
		spec = nullable(spec, "reason", reason, String.class);
		return spec.fetch().rowsUpdated().then();
	}

	/** Stock held by an order's line: units or grams of one SKU. */
	public record HeldStock(long orderId, long skuId, String skuCode, long reserved) {
	}

	// order_line's primary key
	public Mono<List<HeldStock>> heldStock(Collection<Long> orderIds) {
		return db.sql("""
				SELECT order_id, sku_id, sku_code, reserved FROM order_line
				 WHERE order_id = ANY(:ids) ORDER BY order_id, position
				""")
			.bind("ids", orderIds.toArray(Long[]::new))
			.map(row -> new HeldStock(row.get("order_id", Long.class), row.get("sku_id", Long.class),
					row.get("sku_code", String.class), row.get("reserved", Long.class)))
			.all()
			.collectList();
	}

	/**
	 * Locks up to {@code limit} PENDING orders whose payment window closed, skipping
	 * those another instance has locked: several instances expire disjoint sets, and an
	 * order being paid right now (its row locked) is left for the next round.
	 */
	public Mono<List<OrderState>> lockExpired(Instant now, int limit) {
		// customer_order_deadline_idx
		return db.sql("""
				SELECT id, number, status, version FROM customer_order
				 WHERE status = 'PENDING' AND payment_deadline IS NOT NULL AND payment_deadline <= :now
				 ORDER BY payment_deadline
				 LIMIT :limit
				   FOR UPDATE SKIP LOCKED
				""").bind("now", now).bind("limit", limit).map(R2dbcOrders::stateRow).all().collectList();
	}

	/**
	 * Cancels locked PENDING orders whose payment expired; answers their new versions.
	 */
	public Mono<List<OrderState>> cancelExpired(Collection<Long> ids, String reason, Instant now) {
		return db.sql("""
				UPDATE customer_order
				   SET status = 'CANCELLED', cancel_reason = :reason, payment_deadline = NULL,
				       version = version + 1, updated_at = :now
				 WHERE id = ANY(:ids) AND status = 'PENDING'
				RETURNING id, number, status, version
				""")
			.bind("reason", reason)
			.bind("now", now)
			.bind("ids", ids.toArray(Long[]::new))
			.map(R2dbcOrders::stateRow)
			.all()
			.collectList();
	}

}
