package ci.monepiceriz.delivery.yango;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import ci.monepiceriz.delivery.domain.DestinationCell;
import ci.monepiceriz.shared.JsonBodies;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Yango's {@code POST /b2b/cargo/integration/v2/check-price} (yango.md §2.3): the request
 * body, and its answers read into {@link Answer}s. Provider DTOs stay here.
 * <ul>
 * <li>Coordinates are {@code [longitude, latitude]}, in this order (yango.md §2.4): a
 * swapped Abidjan pair lands in the ocean.
 * <li>Two route points, the store (id 1) then the destination (id 2), and one item
 * carried from the first to the second without size or weight (Yango then assumes the
 * largest parcel of the class: the estimate does not depend on the cart, so it can be
 * cached per destination).
 * <li>Estimation errors can arrive inside a 200 ({@code error_messages}), or as
 * {@code 400 address_not_found} / {@code 409 estimating.*}: the destination is not
 * served.
 * </ul>
 */
final class CheckPrice {

	static final String PATH = "/b2b/cargo/integration/v2/check-price";

	static final String CURRENCY = "XOF";

	/** Codes of 4xx answers meaning "this destination cannot be served". */
	private static final Set<String> NOT_SERVED = Set.of("address_not_found", "address_too_far",
			"address_outside_delivery_zone", "unknown_zone", "estimating.cant_construct_route",
			"estimating.requirement_unavailable");

	private static final int STORE_POINT = 1;

	private static final int DESTINATION_POINT = 2;

	private final JsonMapper json;

	CheckPrice(JsonMapper json) {
		this.json = json;
	}

	/** The request for a delivery from the store to the centre of {@code cell}. */
	static Map<String, Object> body(YangoProperties.Store store, DestinationCell cell, String address,
			String taxiClass) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("quantity", 1);
		item.put("pickup_point", STORE_POINT);
		item.put("dropoff_point", DESTINATION_POINT);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("items", List.of(item));
		body.put("route_points", List.of(point(STORE_POINT, store.longitude(), store.latitude(), store.address()),
				point(DESTINATION_POINT, cell.longitude(), cell.latitude(), address)));
		body.put("requirements", Map.of("taxi_class", taxiClass));
		body.put("skip_door_to_door", false);
		return body;
	}

	private static Map<String, Object> point(int id, double longitude, double latitude, String fullname) {
		Map<String, Object> point = new LinkedHashMap<>();
		point.put("id", id);
		// [longitude, latitude]: Yango's order, not ours
		point.put("coordinates", List.of(longitude, latitude));
		point.put("fullname", fullname);
		return point;
	}

	/** What an answer says. */
	sealed interface Answer permits Priced, NotServed, Unusable {

	}

	/** A price in whole XOF (rounded up) and, when Yango gave one, a time. */
	record Priced(long fee, Duration eta) implements Answer {
	}

	/** The destination is not served (zone, route, address); Yango's code. */
	record NotServed(String code) implements Answer {
	}

	/**
	 * Nothing usable: a refusal of ours (401, 403, a validation error), a price in
	 * another currency, an unreadable body.
	 */
	record Unusable(String reason) implements Answer {
	}

	/** Reads an answer that is neither a 5xx nor a 429 (those are retried before). */
	Answer read(int status, byte[] body) {
		JsonNode root = JsonBodies.object(json, body);
		if (status == 200) {
			return root == null ? new Unusable("unreadable answer (HTTP 200)") : priced(root);
		}
		String code = root == null ? "" : text(root, "code");
		if ((status == 400 || status == 409 || status == 404) && NOT_SERVED.contains(code)) {
			return new NotServed(code);
		}
		return new Unusable("HTTP " + status + (code.isEmpty() ? "" : " " + code));
	}

	private static Answer priced(JsonNode root) {
		JsonNode errors = root.path("error_messages");
		if (errors.isArray() && !errors.isEmpty()) {
			String code = text(errors.get(0), "code");
			return new NotServed(code.isEmpty() ? "error_messages" : code);
		}
		String currency = text(root.path("currency_rules"), "code");
		if (!CURRENCY.equals(currency)) {
			return new Unusable("price in " + (currency.isEmpty() ? "no currency" : currency) + ", not XOF");
		}
		JsonNode price = root.path("price");
		// a string as documented; a number is tolerated, read from its text (no double)
		OptionalLong fee = price.isString() || price.isNumber() ? YangoPrice.xofRoundedUp(price.asString())
				: OptionalLong.empty();
		if (fee.isEmpty()) {
			return new Unusable("no readable price");
		}
		JsonNode eta = root.path("eta");
		Duration time = eta.isNumber() && eta.asLong() > 0 ? Duration.ofMinutes(eta.asLong()) : null;
		return new Priced(fee.getAsLong(), time);
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node == null ? null : node.path(field);
		return value != null && value.isString() ? value.stringValue().strip() : "";
	}

}
