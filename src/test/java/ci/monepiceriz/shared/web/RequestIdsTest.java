package ci.monepiceriz.shared.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

	@Test
	void newIdsAreDistinctVersionFourUuids() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 10_000; i++) {
			String id = RequestIds.newId();
			UUID uuid = UUID.fromString(id);
			assertThat(uuid.version()).isEqualTo(4);
			assertThat(uuid.variant()).isEqualTo(2);
			ids.add(id);
		}
		assertThat(ids).hasSize(10_000);
	}

}
