package ci.monepiceriz.payment.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChargeTest {

	@Test
	void roundsTheAmountDueDownToAMultipleOfFiveAndCountsTheDifferenceAsADiscount() {
		assertThat(Charge.forAmountDue(4999)).isEqualTo(new Charge(4999, 4995));
		assertThat(((Charge) Charge.forAmountDue(4999)).roundingDiscount()).isEqualTo(4);
		assertThat(Charge.forAmountDue(5003)).isEqualTo(new Charge(5003, 5000));
		assertThat(((Charge) Charge.forAmountDue(5000)).roundingDiscount()).isZero();
		assertThat(Charge.forAmountDue(101)).isEqualTo(new Charge(101, 100));
		assertThat(Charge.forAmountDue(100)).isEqualTo(new Charge(100, 100));
	}

	@Test
	void everyAmountFromTheMinimumIsChargedAsAMultipleOfFiveNeverAboveWhatIsDue() {
		for (long due = 100; due <= 20_000; due++) {
			Charge charge = (Charge) Charge.forAmountDue(due);
			assertThat(charge.amount() % 5).as("due %d", due).isZero();
			assertThat(charge.amount()).as("due %d", due).isBetween(Charge.MINIMUM, due);
			assertThat(charge.roundingDiscount()).as("due %d", due).isBetween(0L, 4L);
		}
	}

	@Test
	void nothingCanBeChargedBelowOneHundredFrancs() {
		assertThat(Charge.forAmountDue(99)).isEqualTo(new ChargeDecision.BelowMinimum(99, 100));
		assertThat(Charge.forAmountDue(0)).isInstanceOf(ChargeDecision.BelowMinimum.class);
		assertThat(Charge.forAmountDue(-5)).isInstanceOf(ChargeDecision.BelowMinimum.class);
	}

	@Test
	void aChargeThatBreaksTheRuleCannotExist() {
		assertThatThrownBy(() -> new Charge(5003, 5003)).hasMessageContaining("multiple of 5");
		assertThatThrownBy(() -> new Charge(95, 95)).hasMessageContaining("at least 100");
		assertThatThrownBy(() -> new Charge(5000, 4990)).hasMessageContaining("rounded down");
		assertThatThrownBy(() -> new Charge(5000, 5005)).hasMessageContaining("rounded down");
	}

}
