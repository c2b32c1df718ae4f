package ci.monepiceriz.delivery.yango;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class YangoPriceTest {

	@Test
	void readsYangosDecimalStringExactly() {
		assertThat(YangoPrice.xofRoundedUp("1500.0000")).hasValue(1500);
		assertThat(YangoPrice.xofRoundedUp("1500")).hasValue(1500);
		assertThat(YangoPrice.xofRoundedUp("1500.")).hasValue(1500);
		assertThat(YangoPrice.xofRoundedUp("0.0000")).hasValue(0);
		assertThat(YangoPrice.xofRoundedUp("99999999999999.0000")).hasValue(99_999_999_999_999L);
	}

	@Test
	void roundsAnyFractionUpToTheNextFranc() {
		assertThat(YangoPrice.xofRoundedUp("1500.0001")).hasValue(1501);
		assertThat(YangoPrice.xofRoundedUp("1234.5600")).hasValue(1235);
		assertThat(YangoPrice.xofRoundedUp("1499.5")).hasValue(1500);
		// a double would have turned this into 1500.0000000000002 or 1499.9999999999998
		assertThat(YangoPrice.xofRoundedUp("1499.9999")).hasValue(1500);
	}

	@Test
	void refusesWhatIsNotAYangoPrice() {
		for (String bad : new String[] { null, "", " ", "-1500.0000", "1500.00001", "1,500.00", "1500 XOF", "1e3",
				"NaN", "123456789012345", ".5" }) {
			assertThat(YangoPrice.xofRoundedUp(bad)).as(String.valueOf(bad)).isEqualTo(OptionalLong.empty());
		}
	}

}
