package ci.monepiceriz.cart;

import ci.monepiceriz.cart.domain.CheckoutCart;
import reactor.core.publisher.Mono;

/** What placing an order needs of a cart, inside the order's transaction. */
public interface CartCheckout {

	/**
	 * The cart of this token with its lines, its row locked until the end of the caller's
	 * transaction (so two orders from one cart are placed one after the other); empty
	 * when the token is unknown or the cart expired.
	 */
	Mono<CheckoutCart> lock(String token);

	/**
	 * Marks the cart as ordered, in the caller's transaction: it takes no more changes
	 * and gives no second order.
	 */
	Mono<Void> markOrdered(long cartId);

}
