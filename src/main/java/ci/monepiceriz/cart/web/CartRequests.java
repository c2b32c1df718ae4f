package ci.monepiceriz.cart.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import ci.monepiceriz.cart.domain.LineAmount;
import ci.monepiceriz.delivery.domain.Destination;
import ci.monepiceriz.shared.web.CommonProblem;
import ci.monepiceriz.shared.web.Problem;
import ci.monepiceriz.shared.web.Problem.LocalizedFieldError;
import tools.jackson.databind.JsonNode;

/**
 * Reads the JSON bodies of cart requests by hand rather than binding them to records:
 * Jackson would turn {@code 1.5} into {@code 1} and {@code "2"} into {@code 2}, and a
 * typo in a field name would go unnoticed. Every bad field is named at once; a body that
 * is not a JSON object is a malformed request. A {@code null} field counts as absent.
 */
final class CartRequests {

	private static final Set<String> LINE_FIELDS = Set.of("quantity", "grams");

	private static final Set<String> QUOTE_FIELDS = Set.of("address", "latitude", "longitude");

	static final int MAX_ADDRESS_LENGTH = 500;

	private CartRequests() {
	}

	/**
	 * {@code {"quantity": n}} or {@code {"grams": n}}: whole numbers here, checked
	 * against the SKU's rules by the cart.
	 */
	static LineAmount lineAmount(JsonNode body) {
		Fields fields = Fields.of(body, LINE_FIELDS, "seuls quantity (vendu à l'unité) et grams (vendu au poids)",
				"only quantity (sold by the unit) and grams (sold by weight)");
		Integer quantity = fields.wholeNumber("quantity", "doit être un nombre entier entre 1 et 999",
				"must be a whole number between 1 and 999");
		Integer grams = fields.wholeNumber("grams", "doit être un nombre entier de grammes",
				"must be a whole number of grams");
		fields.throwIfInvalid();
		return new LineAmount(quantity, grams);
	}

	/**
	 * {@code {"address": "...", "latitude": 5.35, "longitude": -4.01}}, all three
	 * required.
	 */
	static Destination destination(JsonNode body) {
		Fields fields = Fields.of(body, QUOTE_FIELDS, "seuls address, latitude et longitude",
				"only address, latitude and longitude");
		String address = fields.text("address", MAX_ADDRESS_LENGTH);
		Double latitude = fields.number("latitude", -90, 90);
		Double longitude = fields.number("longitude", -180, 180);
		fields.throwIfInvalid();
		return new Destination(address, latitude, longitude);
	}

	/** The fields of one JSON object, and every bad one. */
	private static final class Fields {

		private final JsonNode body;

		private final List<LocalizedFieldError> errors = new ArrayList<>();

		private Fields(JsonNode body) {
			this.body = body;
		}

		static Fields of(JsonNode body, Set<String> known, String allowedFr, String allowedEn) {
			if (body == null || !body.isObject()) {
				throw Problem.of(CommonProblem.MALFORMED_REQUEST);
			}
			Fields fields = new Fields(body);
			for (Map.Entry<String, JsonNode> field : body.properties()) {
				if (!known.contains(field.getKey())) {
					fields.reject(field.getKey(), "champ inconnu : " + allowedFr + " sont acceptés",
							"unknown field: " + allowedEn + " are accepted");
				}
			}
			return fields;
		}

		private Optional<JsonNode> value(String name) {
			JsonNode value = body.get(name);
			return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
		}

		Integer wholeNumber(String name, String french, String english) {
			Optional<JsonNode> value = value(name);
			if (value.isEmpty()) {
				return null;
			}
			if (value.get().isIntegralNumber() && value.get().canConvertToInt()) {
				return value.get().intValue();
			}
			reject(name, french, english);
			return null;
		}

		String text(String name, int maxLength) {
			Optional<JsonNode> value = value(name);
			String french = "doit être un texte de 1 à " + maxLength + " caractères";
			String english = "must be a text of 1 to " + maxLength + " characters";
			if (value.isEmpty()) {
				reject(name, "requis : " + french.substring("doit être ".length()),
						"required: " + english.substring("must be ".length()));
				return null;
			}
			String text = value.get().isString() ? value.get().stringValue().strip() : "";
			if (text.isEmpty() || text.length() > maxLength) {
				reject(name, french, english);
				return null;
			}
			return text;
		}

		Double number(String name, double min, double max) {
			Optional<JsonNode> value = value(name);
			String range = " entre " + format(min) + " et " + format(max);
			String rangeEn = " between " + format(min) + " and " + format(max);
			if (value.isEmpty()) {
				reject(name, "requis : un nombre" + range, "required: a number" + rangeEn);
				return null;
			}
			if (value.get().isNumber()) {
				double number = value.get().doubleValue();
				if (Double.isFinite(number) && number >= min && number <= max) {
					return number;
				}
			}
			reject(name, "doit être un nombre" + range, "must be a number" + rangeEn);
			return null;
		}

		void reject(String name, String french, String english) {
			errors.add(new LocalizedFieldError(name, french, english));
		}

		void throwIfInvalid() {
			if (!errors.isEmpty()) {
				throw Problem.withErrors(CommonProblem.INVALID_PARAMETERS, errors);
			}
		}

		private static String format(double bound) {
			return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
		}

	}

}
