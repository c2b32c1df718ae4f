package ci.monepiceriz.delivery;

import java.time.Instant;

import reactor.core.publisher.Mono;

/**
 * What delivery tells the orders it carries (ordering implements it: ordering already
 * depends on delivery, so delivery owns this port and never depends on ordering).
 */
public interface DeliveredOrders {

	/**
	 * The courier handed the order over: a READY order becomes COMPLETED, inside the
	 * caller's transaction. Answers whether it moved (false when it was not READY any
	 * more, e.g. already completed by an earlier status).
	 */
	Mono<Boolean> delivered(String orderNumber, String providerStatus, Instant at);

}
