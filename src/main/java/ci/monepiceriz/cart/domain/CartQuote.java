package ci.monepiceriz.cart.domain;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.DestinationCell;

/**
 * A delivery quote for a cart: the fee and time for the destination, whether the cart's
 * subtotal allows delivery at all, and until when an order of this cart to this
 * destination is charged this fee.
 *
 * @param fee the delivery fee in XOF
 * @param currency always {@code XOF}
 * @param etaMinutes expected delivery time, in whole minutes (rounded up)
 * @param source who quoted: {@code FLAT} (configured fee) or a provider ({@code YANGO})
 * @param deliveryAvailable whether the cart's subtotal reaches the minimum
 * @param minimumSubtotal the smallest subtotal that may be delivered, in XOF
 * @param missingAmount how much the subtotal lacks, when delivery is not available
 * @param latitude the centre of the ~110 m cell the fee is for: every point of the cell
 * has this fee (see {@link DestinationCell})
 * @param longitude the centre's longitude
 * @param validUntil until when an order placed from this cart to the same cell is charged
 * this fee; afterwards it is quoted again
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CartQuote(long fee, String currency, long etaMinutes, String source, boolean deliveryAvailable,
		long minimumSubtotal, Long missingAmount, double latitude, double longitude, Instant validUntil) {

	/** {@code kept}, for {@code cart} as it is now (its subtotal may have changed). */
	public static CartQuote of(KeptQuote kept, CartView cart) {
		return of(kept.quote(), cart.delivery(), kept.cell(), kept.validUntil());
	}

	static CartQuote of(DeliveryQuote quote, CartView.FulfilmentOption delivery, DestinationCell cell,
			Instant validUntil) {
		long seconds = quote.eta().toSeconds();
		return new CartQuote(quote.fee(), "XOF", (seconds + 59) / 60, quote.source(), delivery.available(),
				delivery.minimumSubtotal(), delivery.missingAmount(), cell.latitude(), cell.longitude(), validUntil);
	}

}
