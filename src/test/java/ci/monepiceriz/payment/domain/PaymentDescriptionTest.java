package ci.monepiceriz.payment.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PaymentDescriptionTest {

	@Test
	void replacesTheCharactersCinetPayForbidsWithSpaces() {
		assertThat(PaymentDescription.sanitise("MonEpice&Riz commande #MER-20260101-0001 riz_parfumé 5/kg $"))
			.isEqualTo("MonEpice Riz commande MER-20260101-0001 riz parfumé 5 kg");
	}

	@Test
	void leavesNoForbiddenOrControlCharacterAndNoRunOfSpaces() {
		String clean = PaymentDescription.sanitise("  a#b/c$d_e&f\n\tg\u0000h   i  ");
		assertThat(clean).isEqualTo("a b c d e f g h i");
		assertThat(clean.chars()).noneMatch(c -> PaymentDescription.FORBIDDEN.indexOf(c) >= 0);
	}

	@Test
	void keepsLettersAccentsDigitsAndOrdinaryPunctuation() {
		assertThat(PaymentDescription.sanitise("Commande MER-20260101-0001 : 2 articles (épices, riz)."))
			.isEqualTo("Commande MER-20260101-0001 : 2 articles (épices, riz).");
	}

	@Test
	void cutsATooLongDescription() {
		assertThat(PaymentDescription.sanitise("x".repeat(500))).hasSize(PaymentDescription.MAX_LENGTH);
	}

	@Test
	void refusesADescriptionWithNothingLeft() {
		assertThatThrownBy(() -> PaymentDescription.sanitise("#&/ $_")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> PaymentDescription.sanitise(null)).isInstanceOf(IllegalArgumentException.class);
	}

}
