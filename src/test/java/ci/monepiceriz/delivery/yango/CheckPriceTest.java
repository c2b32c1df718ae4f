package ci.monepiceriz.delivery.yango;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import ci.monepiceriz.delivery.domain.DestinationCell;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CheckPriceTest {

	private final JsonMapper json = JsonMapper.builder().build();

	private final CheckPrice checkPrice = new CheckPrice(json);

	private static final YangoProperties.Store STORE = new YangoProperties.Store("Boutique, Treichville", 5.3, -4.01,
			"Boutique", "+2252721000000", "boutique@monepiceriz.ci");

	@Test
	void sendsBothPointsAsLongitudeThenLatitudeStoreFirst() {
		// Cocody: latitude 5.35, longitude -3.99
		JsonNode body = json
			.valueToTree(CheckPrice.body(STORE, DestinationCell.of(5.35012, -3.98951), "Cocody", "courier"));

		JsonNode store = body.get("route_points").get(0);
		JsonNode destination = body.get("route_points").get(1);
		assertThat(store.get("id").asInt()).isEqualTo(1);
		assertThat(store.get("coordinates").get(0).asDouble()).isEqualTo(-4.01);
		assertThat(store.get("coordinates").get(1).asDouble()).isEqualTo(5.3);
		assertThat(store.get("fullname").asString()).isEqualTo("Boutique, Treichville");
		assertThat(destination.get("id").asInt()).isEqualTo(2);
		assertThat(destination.get("coordinates").get(0).asDouble()).isEqualTo(-3.99);
		assertThat(destination.get("coordinates").get(1).asDouble()).isEqualTo(5.35);
		assertThat(destination.get("fullname").asString()).isEqualTo("Cocody");
	}

	@Test
	void carriesOneItemFromTheStoreToTheDestinationWithTheTaxiClass() {
		JsonNode body = json.valueToTree(CheckPrice.body(STORE, DestinationCell.of(5.35, -3.99), "Cocody", "express"));

		assertThat(body.get("items")).hasSize(1);
		assertThat(body.get("items").get(0).get("quantity").asInt()).isEqualTo(1);
		assertThat(body.get("items").get(0).get("pickup_point").asInt()).isEqualTo(1);
		assertThat(body.get("items").get(0).get("dropoff_point").asInt()).isEqualTo(2);
		assertThat(body.get("requirements").get("taxi_class").asString()).isEqualTo("express");
	}

	@Test
	void readsThePriceRoundedUpAndTheEta() {
		assertThat(read(200, "{\"price\":\"1234.5600\",\"currency_rules\":{\"code\":\"XOF\"},\"eta\":42}"))
			.isEqualTo(new CheckPrice.Priced(1235, Duration.ofMinutes(42)));
		assertThat(read(200, "{\"price\":\"1500.0000\",\"currency_rules\":{\"code\":\"XOF\"}}"))
			.isEqualTo(new CheckPrice.Priced(1500, null));
		// a number is tolerated
		assertThat(read(200, "{\"price\":1500.25,\"currency_rules\":{\"code\":\"XOF\"},\"eta\":30}"))
			.isEqualTo(new CheckPrice.Priced(1501, Duration.ofMinutes(30)));
	}

	@Test
	void anEstimationErrorInsideA200IsNotServedEvenWithAPrice() {
		assertThat(read(200,
				"{\"price\":\"1500.0000\",\"currency_rules\":{\"code\":\"XOF\"},"
						+ "\"error_messages\":[{\"code\":\"estimating.cant_construct_route\",\"message\":\"x\"}]}"))
			.isEqualTo(new CheckPrice.NotServed("estimating.cant_construct_route"));
	}

	@Test
	void zoneAndRouteRefusalsAreNotServedOtherRefusalsAreUnusable() {
		assertThat(read(400, "{\"code\":\"address_not_found\",\"message\":\"x\"}"))
			.isEqualTo(new CheckPrice.NotServed("address_not_found"));
		assertThat(read(409, "{\"code\":\"estimating.cant_construct_route\",\"message\":\"x\"}"))
			.isEqualTo(new CheckPrice.NotServed("estimating.cant_construct_route"));
		assertThat(read(400, "{\"code\":\"validation_error\",\"message\":\"x\"}"))
			.isInstanceOf(CheckPrice.Unusable.class);
		assertThat(read(401, "{\"code\":\"unauthorized\",\"message\":\"x\"}")).isInstanceOf(CheckPrice.Unusable.class);
		assertThat(read(403, "<html>challenge</html>")).isInstanceOf(CheckPrice.Unusable.class);
	}

	@Test
	void aPriceInAnotherCurrencyOrUnreadableIsUnusable() {
		assertThat(read(200, "{\"price\":\"350.0000\",\"currency_rules\":{\"code\":\"RUB\"}}"))
			.isInstanceOf(CheckPrice.Unusable.class);
		assertThat(read(200, "{\"price\":\"350.0000\"}")).isInstanceOf(CheckPrice.Unusable.class);
		assertThat(read(200, "{\"price\":\"-1\",\"currency_rules\":{\"code\":\"XOF\"}}"))
			.isInstanceOf(CheckPrice.Unusable.class);
		assertThat(read(200, "{\"currency_rules\":{\"code\":\"XOF\"}}")).isInstanceOf(CheckPrice.Unusable.class);
		assertThat(read(200, "not json")).isInstanceOf(CheckPrice.Unusable.class);
		assertThat(read(200, "")).isInstanceOf(CheckPrice.Unusable.class);
	}

	@Test
	void readsRetryAfterInSecondsOrAsADate() {
		Instant now = Instant.parse("2026-11-26T10:00:00Z");
		assertThat(YangoHttp.retryAfter("1", now)).isEqualTo(Duration.ofSeconds(1));
		assertThat(YangoHttp.retryAfter(" 120 ", now)).isEqualTo(Duration.ofSeconds(120));
		assertThat(YangoHttp.retryAfter("Thu, 26 Nov 2026 10:00:03 GMT", now)).isEqualTo(Duration.ofSeconds(3));
		assertThat(YangoHttp.retryAfter("Thu, 26 Nov 2026 09:59:00 GMT", now)).isEqualTo(Duration.ZERO);
		assertThat(YangoHttp.retryAfter("soon", now)).isNull();
		assertThat(YangoHttp.retryAfter(null, now)).isNull();
	}

	private CheckPrice.Answer read(int status, String body) {
		return checkPrice.read(status, body.getBytes(StandardCharsets.UTF_8));
	}

}
