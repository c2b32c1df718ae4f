package ci.monepiceriz.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.junit.jupiter.api.Test;

class PurchaseTest {

	@Test
	void aPurchaseIsTheOrderNumberThePaidValueInXofAndOneItemPerLine() {
		Purchase purchase = Purchase.of(Orders.delivered(null), 16995);

		assertThat(purchase.transactionId()).isEqualTo("MER-20261124-0042");
		assertThat(purchase.value()).isEqualTo(16995);
		assertThat(purchase.currency()).isEqualTo("XOF");
		assertThat(purchase.shipping()).isEqualTo(1000);
		assertThat(purchase.items()).containsExactly(
				new Purchase.Item("RIZ-PARF-5KG", "Riz parfumé", "Sac 5 kg", 5000, 2),
				// a weighed line is one item at its amount: quantities are whole items
				new Purchase.Item("POISSON-CAPITAINE", "Poisson capitaine", "Au poids (1500 g)", 6000, 1));
	}

	@Test
	void theClientIdIsStablePerOrderLooksLikeGasOwnAndCarriesNothingOfTheCustomer() {
		String first = Purchase.clientId(Orders.delivered("awa@example.ci"));

		assertThat(Purchase.clientId(Orders.delivered("someone@else.ci"))).isEqualTo(first);
		assertThat(Purchase.clientId(Orders.pickedUp("awa@example.ci"))).isNotEqualTo(first);
		assertThat(first).matches("[0-9]{1,10}\\." + Orders.PLACED.getEpochSecond())
			.doesNotContain("awa")
			.doesNotContain("0707123456");
	}

	@Test
	void aPurchaseNeedsATransactionIdAndAValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Purchase("1.2", "", 100, "XOF", 0, List.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> new Purchase("1.2", "MER-1", 0, "XOF", 0, List.of()));
	}

}
