package ci.monepiceriz.shared.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

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

	@Test
	void logsNeverShowTokensFromPaths() {
		String token = "q3S0mN6cW1xY0a7bKp2rT9vU4eH8jL5dF1gZ3iO6wQc";
		assertThat(RequestIds.loggable(exchange("/api/carts/" + token + "/lines/RIZ-PARF-5KG")))
			.isEqualTo("/api/carts/{token}/lines/RIZ-PARF-5KG");
		assertThat(RequestIds.loggable(exchange("/api/carts/" + token))).isEqualTo("/api/carts/{token}");
		assertThat(RequestIds.loggable(exchange("/api/orders/MER-20261126-0042/events?accessToken=" + token)))
			.isEqualTo("/api/orders/MER-20261126-0042/events");
		assertThat(RequestIds.loggable(exchange("/api/products/riz-parfume-jasmin")))
			.isEqualTo("/api/products/riz-parfume-jasmin");
	}

	private static MockServerWebExchange exchange(String uri) {
		return MockServerWebExchange.from(MockServerHttpRequest.get(uri));
	}

}
