package ci.monepiceriz.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TransactionIdsTest {

	@Test
	void aTransactionIdIsTheOrderNumberAndARandomSuffixOfCharactersCinetPayTakes() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String id = PaymentService.newTransactionId("MER-20261126-0042");
			assertThat(id).matches("MER-20261126-0042-[A-Z0-9]{10}");
			ids.add(id);
		}
		assertThat(ids).hasSize(1000);
	}

}
