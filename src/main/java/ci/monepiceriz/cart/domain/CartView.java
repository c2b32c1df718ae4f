package ci.monepiceriz.cart.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import ci.monepiceriz.catalog.domain.SaleType;
import ci.monepiceriz.catalog.domain.SkuOffer;
import ci.monepiceriz.shared.Money;

/**
 * A cart as the storefront shows it, priced from the SKUs' current data. Fields without a
 * value are absent.
 *
 * @param token the cart's token: only in the answer that creates the cart
 * @param lines the lines in the order they were added
 * @param subtotal the sum of the lines that can be served as they are
 * ({@link Availability#AVAILABLE}), in XOF
 * @param estimated true when the subtotal includes a WEIGHT line (an estimate until
 * weighed)
 * @param itemCount units in the cart, every line counted: a UNIT line for its quantity, a
 * WEIGHT line for one
 * @param fulfilmentOptions pickup, and delivery with its minimum subtotal
 * @param ordered true once an order was placed from the cart
 * @param expiresAt when the cart expires unless changed before
 * @param deliveryQuote the delivery quote the cart was last given, while an order to its
 * cell is still charged its fee, with the subtotal's minimum checked again; absent
 * otherwise, and always once the cart was ordered
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CartView(String token, List<LineView> lines, long subtotal, boolean estimated, int itemCount,
		List<FulfilmentOption> fulfilmentOptions, boolean ordered, Instant expiresAt, CartQuote deliveryQuote) {

	/**
	 * One line, priced. UNIT lines carry {@code quantity} and {@code unitPrice}; WEIGHT
	 * lines {@code grams} and {@code pricePerKg}, and their amount is an estimate.
	 * {@code availableStock} (units or grams) is given for {@code REDUCED_STOCK} only.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record LineView(String skuCode, String productSlug, String productName, String label, SaleType saleType,
			Integer quantity, Integer grams, Long unitPrice, Long pricePerKg, long amount, boolean estimated,
			Availability availability, Long availableStock, String imageUrl) {
	}

	/** How the order may be fulfilled. */
	public enum FulfilmentType {

		PICKUP, DELIVERY

	}

	/**
	 * One way to get the order; for delivery, the smallest subtotal it needs and, when
	 * the cart is below it, how much is missing.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record FulfilmentOption(FulfilmentType type, boolean available, Long minimumSubtotal, Long missingAmount) {
	}

	/**
	 * Prices {@code cart} with the current {@code offers} of its SKUs (by id); delivery
	 * needs at least {@code minimumDeliverySubtotal}.
	 */
	public static CartView of(Cart cart, Map<Long, SkuOffer> offers, long minimumDeliverySubtotal) {
		List<LineView> lines = new ArrayList<>();
		Money subtotal = Money.ZERO;
		boolean estimated = false;
		int itemCount = 0;
		for (Cart.Line line : cart.lines()) {
			SkuOffer offer = offers.get(line.skuId());
			if (offer == null) {
				continue; // a SKU row cannot go while a cart line references it
			}
			LineView view = line(line, offer);
			lines.add(view);
			itemCount += line.quantity() != null ? line.quantity() : 1;
			if (view.availability() == Availability.AVAILABLE) {
				subtotal = subtotal.plus(Money.of(view.amount()));
				estimated |= view.estimated();
			}
		}
		List<FulfilmentOption> options = fulfilmentOptions(subtotal.xof(), minimumDeliverySubtotal);
		// an ordered cart gives no other order: no fee it would be charged
		CartQuote quote = cart.ordered() || cart.keptQuote() == null ? null : CartQuote.of(cart.keptQuote().quote(),
				delivery(options), cart.keptQuote().cell(), cart.keptQuote().validUntil());
		return new CartView(null, lines, subtotal.xof(), estimated, itemCount, options, cart.ordered(),
				cart.expiresAt(), quote);
	}

	/** This view with the cart's token, for the answer that creates it. */
	public CartView withToken(String token) {
		return new CartView(token, lines, subtotal, estimated, itemCount, fulfilmentOptions, ordered, expiresAt,
				deliveryQuote);
	}

	/** The delivery option (always present). */
	public FulfilmentOption delivery() {
		return delivery(fulfilmentOptions);
	}

	private static FulfilmentOption delivery(List<FulfilmentOption> fulfilmentOptions) {
		return fulfilmentOptions.stream()
			.filter(option -> option.type() == FulfilmentType.DELIVERY)
			.findFirst()
			.orElseThrow();
	}

	private static LineView line(Cart.Line line, SkuOffer offer) {
		boolean weight = offer.saleType() == SaleType.WEIGHT;
		SkuOffer.AmountCheck check = offer.check(line.quantity(), line.grams());
		// a line whose shape no longer fits its SKU (sale type changed) has no amount
		boolean shaped = check != SkuOffer.AmountCheck.QUANTITY_EXPECTED
				&& check != SkuOffer.AmountCheck.GRAMS_EXPECTED;
		long amount = shaped ? offer.amountFor(line.quantity(), line.grams()).xof() : 0;
		long wanted = shaped ? offer.stockFor(line.quantity(), line.grams()) : 0;
		Availability availability;
		if (!offer.available() || check != SkuOffer.AmountCheck.OK) {
			availability = Availability.UNAVAILABLE;
		}
		else if (offer.stock() <= 0) {
			availability = Availability.OUT_OF_STOCK;
		}
		else if (offer.stock() < wanted) {
			availability = Availability.REDUCED_STOCK;
		}
		else {
			availability = Availability.AVAILABLE;
		}
		return new LineView(offer.code(), offer.productSlug(), offer.productName(), offer.label(), offer.saleType(),
				line.quantity(), line.grams(), weight ? null : offer.unitPrice(), weight ? offer.pricePerKg() : null,
				amount, weight, availability, availability == Availability.REDUCED_STOCK ? offer.stock() : null,
				offer.imageUrl());
	}

	private static List<FulfilmentOption> fulfilmentOptions(long subtotal, long minimumDeliverySubtotal) {
		boolean deliverable = subtotal >= minimumDeliverySubtotal;
		return List.of(new FulfilmentOption(FulfilmentType.PICKUP, true, null, null),
				new FulfilmentOption(FulfilmentType.DELIVERY, deliverable, minimumDeliverySubtotal,
						deliverable ? null : minimumDeliverySubtotal - subtotal));
	}

}
