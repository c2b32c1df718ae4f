package ci.monepiceriz.delivery.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DestinationCellTest {

	@Test
	void pointsWithinAboutAHundredMetresShareACellAndItsCentre() {
		DestinationCell cell = DestinationCell.of(new Destination("Cocody", 5.35012, -4.01049));
		assertThat(DestinationCell.of(5.34951, -4.00951)).isEqualTo(cell);
		assertThat(cell.latitude()).isEqualTo(5.35);
		assertThat(cell.longitude()).isEqualTo(-4.01);
		assertThat(cell.key()).isEqualTo("5350:-4010");
	}

	@Test
	void theNextThousandthOfADegreeIsAnotherCell() {
		assertThat(DestinationCell.of(5.3506, -4.01)).isNotEqualTo(DestinationCell.of(5.3504, -4.01));
		assertThat(DestinationCell.of(5.35, -4.0106)).isNotEqualTo(DestinationCell.of(5.35, -4.0104));
	}

	@Test
	void aHalfRoundsAwayFromZeroOnTheDecimalSent() {
		// -4.0105 * 1000 is -4010.4999… in binary: rounding that would give -4010
		assertThat(DestinationCell.of(5.3505, -4.0105)).isEqualTo(new DestinationCell(5351, -4011));
		assertThat(DestinationCell.of(5.3515, -4.0115)).isEqualTo(new DestinationCell(5352, -4012));
		assertThat(DestinationCell.of(-0.0005, 0.0005)).isEqualTo(new DestinationCell(-1, 1));
		assertThat(DestinationCell.of(5.35049, -4.01049)).isEqualTo(new DestinationCell(5350, -4010));
	}

	@Test
	void refusesWhatIsNotOnEarth() {
		assertThatThrownBy(() -> new DestinationCell(90_001, 0)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new DestinationCell(0, -180_001)).isInstanceOf(IllegalArgumentException.class);
	}

}
