package ci.monepiceriz.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

	@Test
	void pausesDoubleFromTheFirstUpToTheMaximum() {
		Backoff backoff = new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(5));

		assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(30));
		assertThat(backoff.after(2)).isEqualTo(Duration.ofMinutes(1));
		assertThat(backoff.after(4)).isEqualTo(Duration.ofMinutes(4));
		assertThat(backoff.after(5)).isEqualTo(Duration.ofMinutes(5));
		assertThat(backoff.after(1000)).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void aBackoffStartsAboveZeroBelowItsMaximum() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofMinutes(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Backoff(Duration.ofMinutes(2), Duration.ofMinutes(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)).after(0));
	}

}
