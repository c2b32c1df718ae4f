package ci.monepiceriz.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import ci.monepiceriz.shared.CircuitBreaker.State;

class CircuitBreakerTest {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

	private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), clock);

	@Test
	void opensAfterTheThresholdOfConsecutiveFailuresAndThenRefusesCalls() {
		fail(2);
		assertThat(breaker.state()).isEqualTo(State.CLOSED);
		assertThat(breaker.tryAcquire()).isTrue();
		breaker.failed();

		assertThat(breaker.state()).isEqualTo(State.OPEN);
		assertThat(breaker.tryAcquire()).isFalse();
		clock.advance(Duration.ofSeconds(29));
		assertThat(breaker.tryAcquire()).isFalse();
	}

	@Test
	void aSuccessResetsTheCountOfConsecutiveFailures() {
		fail(2);
		assertThat(breaker.tryAcquire()).isTrue();
		breaker.succeeded();
		fail(2);
		assertThat(breaker.state()).isEqualTo(State.CLOSED);
	}

	@Test
	void letsOneTrialCallThroughAfterTheOpenDurationAndClosesWhenItSucceeds() {
		fail(3);
		clock.advance(Duration.ofSeconds(30));

		assertThat(breaker.tryAcquire()).as("the trial").isTrue();
		assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
		assertThat(breaker.tryAcquire()).as("a second call during the trial").isFalse();
		breaker.succeeded();

		assertThat(breaker.state()).isEqualTo(State.CLOSED);
		assertThat(breaker.tryAcquire()).isTrue();
		assertThat(breaker.tryAcquire()).isTrue();
	}

	@Test
	void reopensForAWholeDurationWhenTheTrialFails() {
		fail(3);
		clock.advance(Duration.ofSeconds(31));
		assertThat(breaker.tryAcquire()).isTrue();
		breaker.failed();

		assertThat(breaker.state()).isEqualTo(State.OPEN);
		clock.advance(Duration.ofSeconds(29));
		assertThat(breaker.tryAcquire()).isFalse();
		clock.advance(Duration.ofSeconds(1));
		assertThat(breaker.tryAcquire()).isTrue();
	}

	@Test
	void anAbandonedTrialLetsTheNextCallTry() {
		fail(3);
		clock.advance(Duration.ofSeconds(30));
		assertThat(breaker.tryAcquire()).isTrue();
		breaker.abandoned();
		assertThat(breaker.tryAcquire()).isTrue();
	}

	@Test
	void aProviderAskingToComeBackLaterKeepsItOpenUntilThenWhateverTheCount() {
		breaker.pauseUntil(clock.instant().plusSeconds(90));
		assertThat(breaker.state()).isEqualTo(State.OPEN);
		clock.advance(Duration.ofSeconds(89));
		assertThat(breaker.tryAcquire()).as("past the open duration, before the provider's time").isFalse();
		// a failure meanwhile does not shorten the pause
		breaker.failed();
		breaker.failed();
		breaker.failed();
		clock.advance(Duration.ofSeconds(1));
		assertThat(breaker.tryAcquire()).isFalse();
		clock.advance(Duration.ofSeconds(29));
		assertThat(breaker.tryAcquire()).as("the trial").isTrue();
		breaker.succeeded();
		// a time already past changes nothing
		breaker.pauseUntil(clock.instant().minusSeconds(1));
		assertThat(breaker.state()).isEqualTo(State.CLOSED);
	}

	@Test
	void aCallSentBeforeThePauseSucceedingDoesNotEndIt() {
		assertThat(breaker.tryAcquire()).as("sent before the 429").isTrue();
		breaker.pauseUntil(clock.instant().plusSeconds(120));
		breaker.succeeded();

		assertThat(breaker.state()).isEqualTo(State.OPEN);
		assertThat(breaker.tryAcquire()).isFalse();
		breaker.reset();
		assertThat(breaker.tryAcquire()).isTrue();
	}

	@Test
	void needsAPositiveThreshold() {
		assertThatThrownBy(() -> new CircuitBreaker(0, Duration.ofSeconds(1), clock))
			.isInstanceOf(IllegalArgumentException.class);
	}

	private void fail(int times) {
		for (int i = 0; i < times; i++) {
			assertThat(breaker.tryAcquire()).isTrue();
			breaker.failed();
		}
	}

}
