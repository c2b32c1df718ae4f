package ci.monepiceriz.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.Destination;
import reactor.test.StepVerifier;

class FlatFeeQuotesTest {

	@Test
	void quotesTheConfiguredFeeAndTimeWhateverTheDestination() {
		FlatFeeQuotes quotes = new FlatFeeQuotes(new DeliveryProperties(1000, Duration.ofMinutes(60), 3000));
		StepVerifier.create(quotes.quote(new Destination("Cocody, Abidjan", 5.35, -4.01)))
			.expectNext(new DeliveryQuote(1000, Duration.ofMinutes(60), "FLAT"))
			.verifyComplete();
		StepVerifier.create(quotes.quote(new Destination("Bouaké", 7.69, -5.03)))
			.expectNext(new DeliveryQuote(1000, Duration.ofMinutes(60), "FLAT"))
			.verifyComplete();
	}

	@Test
	void refusesSettingsThatMakeNoSense() {
		assertThatThrownBy(() -> new DeliveryProperties(-1, Duration.ofMinutes(60), 3000))
			.hasMessageContaining("flat-fee");
		assertThatThrownBy(() -> new DeliveryProperties(1000, Duration.ZERO, 3000)).hasMessageContaining("flat-eta");
		assertThatThrownBy(() -> new DeliveryProperties(1000, Duration.ofMinutes(60), -5))
			.hasMessageContaining("minimum-subtotal");
		assertThat(new DeliveryProperties(0, Duration.ofMinutes(1), 0).flatFee()).isZero();
	}

}
