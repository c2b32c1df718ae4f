package ci.monepiceriz.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class ConfirmationEmailTest {

	static final ZoneId ABIDJAN = ZoneId.of("Africa/Abidjan");

	@Test
	void aDeliveredOrderListsEachLineTheTotalsAndWhereItGoesInFrench() {
		ConfirmationEmail email = ConfirmationEmail.of(Orders.delivered("awa@example.ci"), 16995, ABIDJAN);

		assertThat(email.to()).isEqualTo("awa@example.ci");
		assertThat(email.subject()).isEqualTo("Votre commande MER-20261124-0042 est confirmée");
		assertThat(readable(email.text())).contains("Bonjour Awa Koné,")
			.contains("Commande : MER-20261124-0042")
			.contains("- Riz parfumé (Sac 5 kg) : 2 × 5 000 F CFA = 10 000 F CFA")
			.contains("- Poisson capitaine (Au poids) : 1,5 kg à 4 000 F CFA/kg, soit 6 000 F CFA (poids estimé)")
			.contains("Sous-total : 16 000 F CFA")
			.contains("Frais de livraison : 1 000 F CFA")
			.contains("Total : 17 000 F CFA")
			.contains("Remise d'arrondi : -5 F CFA")
			.contains("Montant payé : 16 995 F CFA")
			.contains("Livraison à domicile")
			.contains("Adresse : Cocody Riviera 2, rue des Jardins, villa 12")
			.contains("Téléphone du contact : +2250707123456")
			.contains("Instructions : Sonner deux fois")
			.contains("Les produits au poids sont pesés")
			.doesNotContain("Retrait en magasin");
	}

	@Test
	void amountsKeepTheirUnitOnTheSameLine() {
		ConfirmationEmail email = ConfirmationEmail.of(Orders.delivered("awa@example.ci"), 17000, ABIDJAN);

		assertThat(email.text()).contains("17\u00A0000\u00A0F\u00A0CFA");
	}

	@Test
	void aPickupOrderGivesItsSlotInTheShopsTimeAndNoDiscountWhenNoneWasGiven() {
		ConfirmationEmail email = ConfirmationEmail.of(Orders.pickedUp("awa@example.ci"), 10000, ABIDJAN);

		assertThat(readable(email.text())).contains("Retrait en magasin")
			.contains("Créneau : le 25/11/2026 de 10:00 à 11:00")
			.contains("Total : 10 000 F CFA")
			.contains("Montant payé : 10 000 F CFA")
			.doesNotContain("Remise d'arrondi")
			.doesNotContain("Frais de livraison")
			.doesNotContain("pesés");
	}

	@Test
	void anOrderWithoutEmailHasNoConfirmationEmail() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConfirmationEmail.of(Orders.pickedUp(null), 10000, ABIDJAN));
	}

	@Test
	void weightsAndAmountsReadTheFrenchWay() {
		assertThat(readable(FrenchFormat.grams(750))).isEqualTo("750 g");
		assertThat(readable(FrenchFormat.grams(1000))).isEqualTo("1 kg");
		assertThat(readable(FrenchFormat.grams(1250))).isEqualTo("1,25 kg");
		assertThat(readable(FrenchFormat.grams(12005))).isEqualTo("12,005 kg");
		assertThat(readable(FrenchFormat.xof(0))).isEqualTo("0 F CFA");
		assertThat(readable(FrenchFormat.xof(999))).isEqualTo("999 F CFA");
		assertThat(readable(FrenchFormat.xof(1234567))).isEqualTo("1 234 567 F CFA");
	}

	private static String readable(String text) {
		return text.replace('\u00A0', ' ');
	}

}
