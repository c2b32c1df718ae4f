package ci.monepiceriz.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The payout job's pure rules: payout ids, backoff, settings. */
class RefundPayoutsTest {

	private static final RefundProperties PROPERTIES = new RefundProperties(Duration.ofSeconds(30), 20,
			Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofHours(1), 8, 200, Duration.ofMinutes(2));

	@Test
	void aPayoutIdIsTheOrderNumberAndEightRandomCharactersCinetPayTakes() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String id = RefundPayouts.newPayoutId("MER-20261124-0042");
			assertThat(id).matches("MER-20261124-0042-R[A-Z0-9]{8}").hasSizeLessThanOrEqualTo(64);
			ids.add(id);
		}
		assertThat(ids).hasSize(1000);
	}

	@Test
	void theBackoffDoublesWithJitterAndNeverPassesItsCap() {
		assertThat(RefundPayouts.backoff(PROPERTIES, 0, 0.0)).isEqualTo(Duration.ofSeconds(30));
		assertThat(RefundPayouts.backoff(PROPERTIES, 0, 0.5)).isEqualTo(Duration.ofMinutes(1));
		assertThat(RefundPayouts.backoff(PROPERTIES, 0, 0.999)).isLessThan(Duration.ofSeconds(90));
		assertThat(RefundPayouts.backoff(PROPERTIES, 3, 0.5)).isEqualTo(Duration.ofMinutes(8));
		assertThat(RefundPayouts.backoff(PROPERTIES, 6, 0.5)).isEqualTo(Duration.ofHours(1));
		assertThat(RefundPayouts.backoff(PROPERTIES, 6, 0.999)).isEqualTo(Duration.ofHours(1));
		assertThat(RefundPayouts.backoff(PROPERTIES, 1000, 0.0)).isEqualTo(Duration.ofMinutes(30));
	}

	@Test
	void refusesSettingsThatMakeNoSense() {
		assertThatThrownBy(() -> new RefundProperties(Duration.ofSeconds(30), 20, Duration.ofMinutes(1),
				Duration.ofMinutes(1), Duration.ofHours(1), 8, 0, Duration.ofMinutes(2)))
			.hasMessageContaining("payout-minimum");
		assertThatThrownBy(() -> new RefundProperties(Duration.ofSeconds(30), 0, Duration.ofMinutes(1),
				Duration.ofMinutes(1), Duration.ofHours(1), 8, 200, Duration.ofMinutes(2)))
			.hasMessageContaining("batch");
		assertThatThrownBy(() -> new RefundProperties(Duration.ZERO, 20, Duration.ofMinutes(1), Duration.ofMinutes(1),
				Duration.ofHours(1), 8, 200, Duration.ofMinutes(2)))
			.hasMessageContaining("interval");
		assertThatThrownBy(() -> new RefundProperties(Duration.ofSeconds(30), 20, Duration.ofMinutes(1),
				Duration.ofMinutes(1), Duration.ofHours(1), 0, 200, Duration.ofMinutes(2)))
			.hasMessageContaining("max-attempts");
		assertThatThrownBy(() -> new RefundProperties(Duration.ofSeconds(30), 20, Duration.ofMinutes(1),
				Duration.ofMinutes(1), Duration.ofHours(1), 8, 200, Duration.ofSeconds(30)))
			.hasMessageContaining("lease");
	}

}
