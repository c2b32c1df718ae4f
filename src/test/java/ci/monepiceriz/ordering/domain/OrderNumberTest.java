package ci.monepiceriz.ordering.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

class OrderNumberTest {

	@Test
	void isTheShopDayAndTheZeroPaddedSequence() {
		assertThat(OrderNumber.of(LocalDate.of(2026, 11, 24), 42)).isEqualTo("MER-20261124-0042");
		assertThat(OrderNumber.of(LocalDate.of(2027, 1, 5), 1)).isEqualTo("MER-20270105-0001");
	}

	@Test
	void growsPastFourDigitsOnABusyDay() {
		assertThat(OrderNumber.of(LocalDate.of(2026, 11, 24), 12345)).isEqualTo("MER-20261124-12345");
		assertThat(OrderNumber.looksValid("MER-20261124-12345")).isTrue();
	}

	@Test
	void recognisesOnlyItsOwnShape() {
		assertThat(OrderNumber.looksValid("MER-20261124-0042")).isTrue();
		assertThat(OrderNumber.looksValid("MER-2026112-0042")).isFalse();
		assertThat(OrderNumber.looksValid("mer-20261124-0042")).isFalse();
		assertThat(OrderNumber.looksValid("MER-20261124-042")).isFalse();
		assertThat(OrderNumber.looksValid("MER-20261124-0042'; --")).isFalse();
	}

	@Test
	void sequencesStartAtOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> OrderNumber.of(LocalDate.of(2026, 11, 24), 0));
	}

}
