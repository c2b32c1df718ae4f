package ci.monepiceriz.delivery;

import ci.monepiceriz.delivery.domain.Destination;
import ci.monepiceriz.delivery.domain.QuoteOutcome;
import reactor.core.publisher.Mono;

/**
 * The port that prices a delivery: a fee and an ETA for a destination, or no delivery
 * there. {@link FlatFeeQuotes} answers the configured flat fee; with
 * {@code shop.delivery.yango.enabled} the Yango adapter ({@code delivery.yango}) asks
 * Yango's {@code check-price} and falls back as configured. It never fails for a
 * provider's problem: that is an outcome.
 */
public interface DeliveryQuotes {

	Mono<QuoteOutcome> quote(Destination destination);

}
