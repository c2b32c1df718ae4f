package ci.monepiceriz.cart;

import ci.monepiceriz.cart.domain.CheckoutCart;
import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.DestinationCell;
import reactor.core.publisher.Mono;

/** What placing an order needs of a cart. */
public interface CartCheckout {

	/**
	 * The delivery quote this cart was given for {@code cell}, while it is valid (see
	 * {@code shop.delivery.quote-validity}); empty when the cart is unknown or expired,
	 * was last quoted for another cell, or its quote expired. Read outside any
	 * transaction: it is the fee the shopper saw, to be charged as such.
	 */
	Mono<DeliveryQuote> quoteFor(String token, DestinationCell cell);

	/**
	 * Checks out the cart of this token in the caller's transaction: its row is locked
	 * until the transaction ends (two orders from one cart are placed one after the
	 * other) and marked ordered (it takes no more changes and gives no second order;
	 * undone if the transaction rolls back), and it is answered with its lines as they
	 * are once locked. A cart that was already ordered is answered with {@code ordered()}
	 * true and left as it was. Empty when the token is unknown or the cart expired.
	 */
	Mono<CheckoutCart> checkOut(String token);

}
