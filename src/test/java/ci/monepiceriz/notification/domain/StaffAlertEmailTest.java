package ci.monepiceriz.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.junit.jupiter.api.Test;

class StaffAlertEmailTest {

	static final List<String> STAFF = List.of("livraisons@monepiceriz.ci", "gerant@monepiceriz.ci");

	@Test
	void aDeliveryProblemTellsStaffTheOrderTheProblemTheCustomerAndWhatToDoInFrench() {
		StaffAlertEmail email = StaffAlertEmail.of(Orders.delivered("awa@example.ci"),
				"yango:performer_not_found (3 claims tried)", STAFF);

		assertThat(email.to()).containsExactly("livraisons@monepiceriz.ci", "gerant@monepiceriz.ci");
		assertThat(email.subject()).isEqualTo("Livraison à traiter : commande MER-20261124-0042");
		assertThat(readable(email.text())).contains("Commande : MER-20261124-0042")
			.contains("Problème : aucun coursier trouvé, après tous les essais.")
			.contains("Raison donnée par Yango : yango:performer_not_found (3 claims tried)")
			.contains("Client : Awa Koné")
			.contains("Téléphone du client : +2250707123456")
			.contains("Adresse de livraison : Cocody Riviera 2, rue des Jardins, villa 12")
			.contains("Téléphone du contact : +2250707123456")
			.contains("Instructions : Sonner deux fois")
			.contains("Total de la commande : 17 000 F CFA")
			.contains("Déjà payé : 17 000 F CFA")
			.contains("livrer la commande autrement")
			.contains("puis la terminer")
			.contains("contacter le client")
			// never the customer's e-mail: staff call, and the body is not the place
			.doesNotContain("awa@example.ci");
	}

	@Test
	void eachKindOfProblemIsSaidInWordsAndAnUnknownOneStillReadsAsAProblem() {
		assertThat(StaffAlertEmail.explain("yango:returned_finish")).contains("rapporte au magasin");
		assertThat(StaffAlertEmail.explain("yango:cancelled_by_taxi")).contains("annulée par le coursier");
		assertThat(StaffAlertEmail.explain("yango:cancelled")).contains("annulée par Yango");
		assertThat(StaffAlertEmail.explain("yango:failed")).contains("échoué");
		assertThat(StaffAlertEmail.explain("yango:estimating_failed (estimating.cant_construct_route)"))
			.contains("estimer");
		assertThat(StaffAlertEmail.explain("yango:create 400 address_not_found")).contains("refusé la course");
		assertThat(StaffAlertEmail.explain("yango:something_new")).isEqualTo("la course ne peut pas aboutir.");
		assertThat(StaffAlertEmail.explain(null)).isEqualTo("la course ne peut pas aboutir.");
	}

	@Test
	void amountsKeepTheirUnitOnTheSameLine() {
		StaffAlertEmail email = StaffAlertEmail.of(Orders.delivered(null), "yango:failed", STAFF);

		assertThat(email.text()).contains("17\u00A0000\u00A0F\u00A0CFA");
	}

	@Test
	void aStaffAlertNeedsAnAddress() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StaffAlertEmail.of(Orders.delivered(null), "yango:failed", List.of()));
	}

	private static String readable(String text) {
		return text.replace('\u00A0', ' ');
	}

}
