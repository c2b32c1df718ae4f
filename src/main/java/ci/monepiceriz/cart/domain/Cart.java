package ci.monepiceriz.cart.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import ci.monepiceriz.catalog.domain.SkuOffer;

/**
 * A cart as stored: its lines (one per SKU, in the order they were added) hold only what
 * the shopper asked for; prices and availability come from the catalog each time it is
 * shown ({@link CartView#of}).
 *
 * @param id the cart's id
 * @param expiresAt when it expires unless changed before
 * @param ordered true once an order was placed from it
 * @param lines its lines in the order they were added
 * @param keptQuote its delivery quote while valid, else null
 */
public record Cart(long id, Instant expiresAt, boolean ordered, List<Line> lines, KeptQuote keptQuote) {

	public Cart {
		lines = List.copyOf(lines);
	}

	/** A cart without a delivery quote. */
	public Cart(long id, Instant expiresAt, boolean ordered, List<Line> lines) {
		this(id, expiresAt, ordered, lines, null);
	}

	/** One line: {@code quantity} for a UNIT SKU, {@code grams} for a WEIGHT SKU. */
	public record Line(long skuId, String skuCode, Integer quantity, Integer grams) {
	}

	public boolean holds(long skuId) {
		return lines.stream().anyMatch(line -> line.skuId() == skuId);
	}

	/**
	 * Why this cart cannot take {@code amount} of this SKU (its offer, null when no SKU
	 * has this code), or empty when it can. Setting a line the cart already holds
	 * replaces its amount, so a full cart still takes it.
	 */
	public Optional<LineChange> refuseLine(String code, SkuOffer offer, LineAmount amount, int maxLines) {
		if (ordered) {
			return Optional.of(new LineChange.AlreadyOrdered());
		}
		if (offer == null) {
			return Optional.of(new LineChange.UnknownSku(code));
		}
		if (!offer.available()) {
			return Optional.of(new LineChange.UnavailableSku(offer));
		}
		SkuOffer.AmountCheck check = offer.check(amount.quantity(), amount.grams());
		if (check != SkuOffer.AmountCheck.OK) {
			return Optional.of(new LineChange.InvalidAmount(offer, check, amount));
		}
		long requested = offer.stockFor(amount.quantity(), amount.grams());
		if (requested > offer.stock()) {
			return Optional.of(new LineChange.InsufficientStock(offer, requested));
		}
		if (!holds(offer.skuId()) && lines.size() >= maxLines) {
			return Optional.of(new LineChange.CartFull(maxLines));
		}
		return Optional.empty();
	}

	/** The cart as placing an order sees it. */
	public CheckoutCart forCheckout() {
		return new CheckoutCart(id, ordered, checkoutLines(lines));
	}

	/** Lines as placing an order sees them. */
	public static List<CheckoutCart.Line> checkoutLines(List<Line> lines) {
		return lines.stream()
			.map(line -> new CheckoutCart.Line(line.skuId(), line.skuCode(), line.quantity(), line.grams()))
			.toList();
	}

}
