package ci.monepiceriz.cart;

import ci.monepiceriz.cart.domain.CheckoutCart;
import reactor.core.publisher.Mono;

/** What placing an order needs of a cart, inside the order's transaction. */
public interface CartCheckout {

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
