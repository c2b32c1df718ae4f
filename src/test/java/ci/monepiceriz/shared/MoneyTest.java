package ci.monepiceriz.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {

	@Test
	void weightEstimateRoundsHalfUpToTheFranc() {
		assertThat(Money.of(4000).forGrams(1500)).isEqualTo(Money.of(6000));
		// 250 g at 1 234 XOF/kg = 308.5 -> 309
		assertThat(Money.of(1234).forGrams(250)).isEqualTo(Money.of(309));
		// 100 g at 1 234 XOF/kg = 123.4 -> 123
		assertThat(Money.of(1234).forGrams(100)).isEqualTo(Money.of(123));
		assertThat(Money.of(999).forGrams(0)).isEqualTo(Money.ZERO);
	}

	@Test
	void refusesNegativeAmountsAndOverflow() {
		assertThatThrownBy(() -> Money.of(-1)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> Money.of(Long.MAX_VALUE).plus(Money.of(1))).isInstanceOf(ArithmeticException.class);
		assertThatThrownBy(() -> Money.of(Long.MAX_VALUE / 2).forGrams(1000)).isInstanceOf(ArithmeticException.class);
	}

	@Test
	void addsAndMultiplies() {
		assertThat(Money.of(1200).plus(Money.of(300)).times(3)).isEqualTo(Money.of(4500));
	}

}
