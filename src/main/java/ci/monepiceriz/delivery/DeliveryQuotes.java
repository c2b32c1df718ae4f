package ci.monepiceriz.delivery;

import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.Destination;
import reactor.core.publisher.Mono;

/**
 * The port that prices a delivery: a fee and an ETA for a destination. Until the Yango
 * adapter exists, a configured flat fee answers.
 */
public interface DeliveryQuotes {

	Mono<DeliveryQuote> quote(Destination destination);

}
