package ci.monepiceriz.delivery;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.Destination;
import ci.monepiceriz.delivery.domain.QuoteOutcome;
import reactor.core.publisher.Mono;

/**
 * The configured flat fee and time, whatever the destination: what the shop charges when
 * Yango is not configured ({@code shop.delivery.yango.enabled=false}, the default), and
 * what the Yango adapter falls back to when Yango cannot quote (fallback
 * {@code FLAT_FEE}).
 */
@Component
@ConditionalOnProperty(name = "shop.delivery.yango.enabled", havingValue = "false", matchIfMissing = true)
public class FlatFeeQuotes implements DeliveryQuotes {

	public static final String SOURCE = "FLAT";

	private final DeliveryProperties properties;

	public FlatFeeQuotes(DeliveryProperties properties) {
		this.properties = properties;
	}

	@Override
	public Mono<QuoteOutcome> quote(Destination destination) {
		return Mono.just(new QuoteOutcome.Quoted(flat()));
	}

	/** The flat quote itself. */
	public DeliveryQuote flat() {
		return new DeliveryQuote(properties.flatFee(), properties.flatEta(), SOURCE);
	}

}
