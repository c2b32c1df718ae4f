package ci.monepiceriz.delivery;

import org.springframework.stereotype.Component;

import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.Destination;
import reactor.core.publisher.Mono;

/**
 * The configured flat fee and time, whatever the destination: what the shop charges until
 * the Yango adapter quotes (and what it will fall back to when Yango cannot).
 */
@Component
class FlatFeeQuotes implements DeliveryQuotes {

	static final String SOURCE = "FLAT";

	private final DeliveryProperties properties;

	FlatFeeQuotes(DeliveryProperties properties) {
		this.properties = properties;
	}

	@Override
	public Mono<DeliveryQuote> quote(Destination destination) {
		return Mono.just(new DeliveryQuote(properties.flatFee(), properties.flatEta(), SOURCE));
	}

}
