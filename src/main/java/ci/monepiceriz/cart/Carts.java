package ci.monepiceriz.cart;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;

import ci.monepiceriz.cart.domain.Cart;
import ci.monepiceriz.cart.domain.CartQuote;
import ci.monepiceriz.cart.domain.CartQuoting;
import ci.monepiceriz.cart.domain.CartView;
import ci.monepiceriz.cart.domain.KeptQuote;
import ci.monepiceriz.cart.domain.LineAmount;
import ci.monepiceriz.cart.domain.LineChange;
import ci.monepiceriz.cart.persistence.R2dbcCarts;
import ci.monepiceriz.catalog.Catalog;
import ci.monepiceriz.catalog.domain.SkuOffer;
import ci.monepiceriz.delivery.DeliveryProperties;
import ci.monepiceriz.delivery.DeliveryQuotes;
import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.Destination;
import ci.monepiceriz.delivery.domain.DestinationCell;
import ci.monepiceriz.delivery.domain.QuoteOutcome;
import ci.monepiceriz.shared.Tokens;
import ci.monepiceriz.shared.persistence.Transactions;
import ci.monepiceriz.shared.persistence.Batches;
import reactor.core.publisher.Mono;

/**
 * The cart module's API for the storefront: create, show, set and remove lines, quote a
 * delivery. Every view is priced from the SKUs' current data in the database. A token or
 * SKU code that cannot be one of ours is answered without a query.
 */
@Service
public class Carts {

	/** The SKU code rule of the schema ({@code sku.code}). */
	private static final Pattern SKU_CODE = Pattern.compile("[A-Z0-9]+(-[A-Z0-9]+)*");

	private final R2dbcCarts store;

	private final Catalog catalog;

	private final DeliveryQuotes deliveryQuotes;

	private final Transactions transactions;

	private final CartProperties properties;

	private final DeliveryProperties delivery;

	private final Clock clock;

	Carts(R2dbcCarts store, Catalog catalog, DeliveryQuotes deliveryQuotes, Transactions transactions,
			CartProperties properties, DeliveryProperties delivery, Clock clock) {
		this.store = store;
		this.catalog = catalog;
		this.deliveryQuotes = deliveryQuotes;
		this.transactions = transactions;
		this.properties = properties;
		this.delivery = delivery;
		this.clock = clock;
	}

	/** A new empty cart, with its token (the only time the token is given). */
	public Mono<CartView> create() {
		return Mono.defer(() -> {
			String token = Tokens.random();
			Instant now = now();
			Instant expiresAt = now.plus(properties.idleTtl());
			return Transactions.uncancellable(store.create(Tokens.sha256(token), now, expiresAt))
				.map(id -> new Cart(id, expiresAt, false, List.of()))
				.map(cart -> CartView.of(cart, Map.of(), delivery.minimumSubtotal()).withToken(token));
		});
	}

	/** The cart of this token, priced; empty when unknown or expired. */
	public Mono<CartView> show(String token) {
		if (!Tokens.looksValid(token)) {
			return Mono.empty();
		}
		return Mono.defer(() -> shown(Tokens.sha256(token), now()));
	}

	/** The unexpired cart of this token hash at {@code now}, priced. */
	private Mono<CartView> shown(byte[] tokenHash, Instant now) {
		return Transactions.uncancellable(store.find(tokenHash, now).flatMap(this::priced));
	}

	/**
	 * Sets the line of SKU {@code code} to {@code amount}, replacing any earlier amount,
	 * with the cart row locked: line changes of one cart, and the placing of its order,
	 * happen one after the other, so the line limit holds under concurrency.
	 */
	public Mono<LineChange> setLine(String token, String code, LineAmount amount) {
		if (!Tokens.looksValid(token)) {
			return Mono.just(new LineChange.CartNotFound());
		}
		return transactions.inTransaction(Mono.defer(() -> {
			Instant now = now();
			return store.lockCart(Tokens.sha256(token), now)
				.flatMap(cart -> offer(code)
					.flatMap(offer -> cart.refuseLine(code, offer.orElse(null), amount, properties.maxLines())
						.map(Mono::just)
						.orElseGet(() -> store.putLine(cart.id(), offer.get().skuId(), amount, now)
							.then(changed(cart, now)))))
				.defaultIfEmpty(new LineChange.CartNotFound());
		}));
	}

	/**
	 * Removes the line of SKU {@code code}, if the cart has one (removing an absent line
	 * changes nothing but the expiry), with the cart row locked as in {@link #setLine}.
	 */
	public Mono<LineChange> removeLine(String token, String code) {
		if (!Tokens.looksValid(token)) {
			return Mono.just(new LineChange.CartNotFound());
		}
		return transactions.inTransaction(Mono.defer(() -> {
			Instant now = now();
			return store.lockCart(Tokens.sha256(token), now)
				.flatMap(cart -> cart.ordered() ? Mono.just(new LineChange.AlreadyOrdered())
						: store.removeLine(cart.id(), code).then(changed(cart, now)))
				.defaultIfEmpty(new LineChange.CartNotFound());
		}));
	}

	/**
	 * The delivery fee and time for {@code destination}, and whether this cart's subtotal
	 * allows delivery; empty when the cart is unknown or expired, refused when it was
	 * ordered (no provider call). The quote is kept with the cart for
	 * {@code shop.delivery.quote-validity}, never past the cart's own expiry: the cart's
	 * order to the same destination cell is charged this fee (see
	 * {@link CartCheckout#quoteFor}). Quotes of one cart answered out of order keep the
	 * one asked last (the instant of the request, taken before the provider is called,
	 * orders them). A destination not served forgets the cart's earlier quote (a provider
	 * down for now does not). The cart itself is not changed (nor its expiry refreshed).
	 */
	public Mono<CartQuoting> quote(String token, Destination destination) {
		if (!Tokens.looksValid(token)) {
			return Mono.empty();
		}
		return Mono.defer(() -> {
			Instant requested = now();
			byte[] hash = Tokens.sha256(token);
			return shown(hash, requested).flatMap(cart -> cart.ordered() ? Mono.just(new CartQuoting.AlreadyOrdered())
					: deliveryQuotes.quote(destination)
						.flatMap(outcome -> kept(hash, destination, cart, outcome, requested)));
		});
	}

	private Mono<CartQuoting> kept(byte[] hash, Destination destination, CartView cart, QuoteOutcome outcome,
			Instant requested) {
		if (outcome instanceof QuoteOutcome.NotDeliverable refused) {
			CartQuoting answer = new CartQuoting.NotDeliverable(refused.reason());
			// "no delivery there" forgets the earlier quote; the provider being down for
			// now does not: an order there is still charged the fee the shopper saw
			return refused.reason() == QuoteOutcome.Reason.NOT_SERVED
					? Transactions.uncancellable(store.forgetQuote(hash, requested)).thenReturn(answer)
					: Mono.just(answer);
		}
		DeliveryQuote quote = ((QuoteOutcome.Quoted) outcome).quote();
		KeptQuote kept = new KeptQuote(quote, DestinationCell.of(destination),
				KeptQuote.validUntil(requested, delivery.quoteValidity(), cart.expiresAt()));
		return Transactions.uncancellable(store.keepQuote(hash, kept, requested, now()))
			.thenReturn(new CartQuoting.Quoted(CartQuote.of(kept, cart)));
	}

	/**
	 * Deletes every expired cart, ordered or not, a bounded batch per statement; the
	 * number deleted.
	 */
	Mono<Long> purgeExpired() {
		return Mono.defer(() -> {
			Instant now = now();
			int batch = properties.purgeBatchSize();
			return Batches.untilShort(() -> store.purgeExpired(now, batch), batch);
		});
	}

	/** The offer of {@code code}, empty inside when no SKU can have it. */
	private Mono<Optional<SkuOffer>> offer(String code) {
		if (code.length() > 40 || !SKU_CODE.matcher(code).matches()) {
			return Mono.just(Optional.empty());
		}
		return catalog.offers(List.of(code)).map(offers -> Optional.ofNullable(offers.get(code)));
	}

	/**
	 * After a change: the expiry pushed back, the lines read again (the statement sees
	 * what committed while this transaction waited for the lock) and priced.
	 */
	private Mono<LineChange> changed(Cart before, Instant now) {
		Instant expiresAt = now.plus(properties.idleTtl());
		return store.touch(before.id(), now, expiresAt)
			.then(store.lines(before.id()))
			.map(lines -> new Cart(before.id(), expiresAt, false, lines, before.keptQuote()))
			.flatMap(this::priced)
			.map(LineChange.Changed::new);
	}

	/**
	 * The clock's time to the microsecond, as PostgreSQL keeps it: the expiry an answer
	 * shows is the one stored.
	 */
	private Instant now() {
		return clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private Mono<CartView> priced(Cart cart) {
		List<Long> skuIds = cart.lines().stream().map(Cart.Line::skuId).toList();
		return catalog.offersByIds(skuIds).map(offers -> CartView.of(cart, offers, delivery.minimumSubtotal()));
	}

}
