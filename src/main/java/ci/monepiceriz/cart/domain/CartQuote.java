package ci.monepiceriz.cart.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

import ci.monepiceriz.delivery.domain.DeliveryQuote;

/**
 * A delivery quote for a cart: the fee and time for the destination, and whether the
 * cart's subtotal allows delivery at all.
 *
 * @param fee the delivery fee in XOF
 * @param currency always {@code XOF}
 * @param etaMinutes expected delivery time, in whole minutes (rounded up)
 * @param source who quoted: {@code FLAT} (configured fee) or a provider
 * @param deliveryAvailable whether the cart's subtotal reaches the minimum
 * @param minimumSubtotal the smallest subtotal that may be delivered, in XOF
 * @param missingAmount how much the subtotal lacks, when delivery is not available
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CartQuote(long fee, String currency, long etaMinutes, String source, boolean deliveryAvailable,
		long minimumSubtotal, Long missingAmount) {

	public static CartQuote of(DeliveryQuote quote, CartView cart) {
		CartView.FulfilmentOption delivery = cart.delivery();
		long seconds = quote.eta().toSeconds();
		return new CartQuote(quote.fee(), "XOF", (seconds + 59) / 60, quote.source(), delivery.available(),
				delivery.minimumSubtotal(), delivery.missingAmount());
	}

}
