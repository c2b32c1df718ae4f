package ci.monepiceriz.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.Destination;
import ci.monepiceriz.delivery.domain.QuoteOutcome;
import reactor.test.StepVerifier;

class FlatFeeQuotesTest {

	@Test
	void quotesTheConfiguredFeeAndTimeWhateverTheDestination() {
		FlatFeeQuotes quotes = new FlatFeeQuotes(
				new DeliveryProperties(1000, Duration.ofMinutes(60), 3000, Duration.ofMinutes(30)));
		StepVerifier.create(quotes.quote(new Destination("Cocody, Abidjan", 5.35, -4.01)))
			.expectNext(new QuoteOutcome.Quoted(new DeliveryQuote(1000, Duration.ofMinutes(60), "FLAT")))
			.verifyComplete();
		StepVerifier.create(quotes.quote(new Destination("Bouaké", 7.69, -5.03)))
			.expectNext(new QuoteOutcome.Quoted(new DeliveryQuote(1000, Duration.ofMinutes(60), "FLAT")))
			.verifyComplete();
	}

	@Test
	void refusesSettingsThatMakeNoSense() {
		assertThatThrownBy(() -> new DeliveryProperties(-1, Duration.ofMinutes(60), 3000, Duration.ofMinutes(30)))
			.hasMessageContaining("flat-fee");
		assertThatThrownBy(() -> new DeliveryProperties(1000, Duration.ZERO, 3000, Duration.ofMinutes(30)))
			.hasMessageContaining("flat-eta");
		assertThatThrownBy(() -> new DeliveryProperties(1000, Duration.ofMinutes(60), -5, Duration.ofMinutes(30)))
			.hasMessageContaining("minimum-subtotal");
		assertThatThrownBy(() -> new DeliveryProperties(1000, Duration.ofMinutes(60), 3000, Duration.ZERO))
			.hasMessageContaining("quote-validity");
		assertThat(new DeliveryProperties(0, Duration.ofMinutes(1), 0, Duration.ofMinutes(1)).flatFee()).isZero();
	}

}
