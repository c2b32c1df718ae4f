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
	void refusesWhatIsNotOnEarth() {
		assertThatThrownBy(() -> new DestinationCell(90_001, 0)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new DestinationCell(0, -180_001)).isInstanceOf(IllegalArgumentException.class);
	}

}
