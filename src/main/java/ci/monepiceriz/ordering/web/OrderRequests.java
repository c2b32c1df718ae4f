package ci.monepiceriz.ordering.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import ci.monepiceriz.ordering.domain.Customer;
import ci.monepiceriz.ordering.domain.Fulfilment;
import ci.monepiceriz.ordering.domain.IvorianPhone;
import ci.monepiceriz.ordering.domain.PlaceOrder;
import ci.monepiceriz.ordering.web.PlaceOrderRequest.CustomerRequest;
import ci.monepiceriz.ordering.web.PlaceOrderRequest.FulfilmentRequest;
import ci.monepiceriz.ordering.web.PlaceOrderRequest.SlotRequest;
import ci.monepiceriz.shared.Tokens;
import ci.monepiceriz.shared.web.CommonProblem;
import ci.monepiceriz.shared.web.Problem;
import ci.monepiceriz.shared.web.Problem.LocalizedFieldError;

/**
 * Checks an order request field by field and names every bad one at once; answers the
 * command, normalised (trimmed texts, phones in E.164).
 */
final class OrderRequests {

	static final int MAX_KEY_LENGTH = 255;

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

	/** The furthest ahead a pickup slot may start, and its longest length. */
	private static final Duration SLOT_HORIZON = Duration.ofDays(14);

	private static final Duration SLOT_MAX_LENGTH = Duration.ofHours(4);

	private final List<LocalizedFieldError> errors = new ArrayList<>();

	private final Instant now;

	private OrderRequests(Instant now) {
		this.now = now;
	}

	/** The idempotency key: 1 to 255 visible ASCII characters. */
	static String idempotencyKey(Optional<String> header) {
		String key = header.map(String::strip).orElse("");
		if (key.isEmpty()) {
			throw Problem.invalidParameter("Idempotency-Key",
					"en-tête obligatoire : une clé unique par intention de commande (par exemple un UUID)",
					"required header: one unique key per order intent (a UUID, for example)");
		}
		if (key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
			throw Problem.invalidParameter("Idempotency-Key", "de 1 à " + MAX_KEY_LENGTH + " caractères ASCII visibles",
					"1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
		}
		return key;
	}

	static PlaceOrder placeOrder(PlaceOrderRequest request, Clock clock) {
		return new OrderRequests(clock.instant()).check(request);
	}

	private PlaceOrder check(PlaceOrderRequest request) {
		String cartToken = request.cartToken() == null ? null : request.cartToken().strip();
		if (cartToken == null || cartToken.isEmpty()) {
			reject("cartToken", "obligatoire", "required");
		}
		else if (!Tokens.looksValid(cartToken)) {
			reject("cartToken", "n'est pas un jeton de panier", "is not a cart token");
		}
		Fulfilment fulfilment = fulfilment(request.fulfilment());
		Customer customer = customer(request.customer());
		if (!errors.isEmpty()) {
			throw Problem.withErrors(CommonProblem.INVALID_PARAMETERS, errors);
		}
		return new PlaceOrder(cartToken, fulfilment, customer);
	}

	private Fulfilment fulfilment(FulfilmentRequest request) {
		if (request == null) {
			reject("fulfilment", "obligatoire : PICKUP ou DELIVERY", "required: PICKUP or DELIVERY");
			return null;
		}
		if ("PICKUP".equals(request.type())) {
			notFor(request.address() != null || request.latitude() != null || request.longitude() != null
					|| request.phone() != null || request.instructions() != null, "fulfilment",
					"adresse, position, téléphone et instructions ne s'appliquent qu'à la livraison",
					"address, geo point, phone and instructions apply to delivery only");
			return new Fulfilment.Pickup(slot(request.slot()));
		}
		if ("DELIVERY".equals(request.type())) {
			notFor(request.slot() != null, "fulfilment.slot", "ne s'applique qu'au retrait en magasin",
					"applies to store pickup only");
			String address = text(request.address(), "fulfilment.address", 500, true);
			Double latitude = coordinate(request.latitude(), "fulfilment.latitude", 90);
			Double longitude = coordinate(request.longitude(), "fulfilment.longitude", 180);
			String phone = phone(request.phone(), "fulfilment.phone");
			String instructions = text(request.instructions(), "fulfilment.instructions", 500, false);
			if (address == null || latitude == null || longitude == null || phone == null) {
				return null;
			}
			return new Fulfilment.Delivery(address, latitude, longitude, phone, instructions);
		}
		reject("fulfilment.type", "doit valoir PICKUP ou DELIVERY", "must be PICKUP or DELIVERY");
		return null;
	}

	private Fulfilment.Slot slot(SlotRequest request) {
		if (request == null) {
			return null;
		}
		Instant start = instant(request.start(), "fulfilment.slot.start");
		Instant end = instant(request.end(), "fulfilment.slot.end");
		if (start == null || end == null) {
			return null;
		}
		if (start.isBefore(now) || start.isAfter(now.plus(SLOT_HORIZON))) {
			reject("fulfilment.slot.start", "doit être dans les 14 prochains jours", "must be within the next 14 days");
			return null;
		}
		if (!end.isAfter(start) || end.isAfter(start.plus(SLOT_MAX_LENGTH))) {
			reject("fulfilment.slot.end", "doit suivre le début, de 4 heures au plus",
					"must follow the start, by 4 hours at most");
			return null;
		}
		return new Fulfilment.Slot(start, end);
	}

	private Customer customer(CustomerRequest request) {
		if (request == null) {
			reject("customer", "obligatoire : nom et téléphone", "required: name and phone");
			return null;
		}
		String name = text(request.name(), "customer.name", 120, true);
		String phone = phone(request.phone(), "customer.phone");
		String email = text(request.email(), "customer.email", 254, false);
		if (email != null && !EMAIL.matcher(email).matches()) {
			reject("customer.email", "n'est pas une adresse e-mail", "is not an email address");
		}
		return name == null || phone == null ? null : new Customer(name, phone, email);
	}

	private String text(String value, String field, int maxLength, boolean required) {
		String stripped = value == null ? "" : value.strip();
		if (stripped.isEmpty()) {
			if (required) {
				reject(field, "obligatoire", "required");
			}
			return null;
		}
		if (stripped.length() > maxLength) {
			reject(field, "ne doit pas dépasser " + maxLength + " caractères",
					"must not be longer than " + maxLength + " characters");
			return null;
		}
		return stripped;
	}

	private String phone(String value, String field) {
		if (value == null || value.isBlank()) {
			reject(field, "obligatoire", "required");
			return null;
		}
		Optional<String> normalized = IvorianPhone.normalize(value);
		if (normalized.isEmpty()) {
			reject(field, "doit être un numéro ivoirien à 10 chiffres (par exemple 07 07 12 34 56)",
					"must be a 10-digit Ivorian number (for example 07 07 12 34 56)");
		}
		return normalized.orElse(null);
	}

	private Double coordinate(Double value, String field, int bound) {
		if (value == null || value.isNaN() || value < -bound || value > bound) {
			reject(field, "obligatoire, entre -" + bound + " et " + bound,
					"required, between -" + bound + " and " + bound);
			return null;
		}
		return value;
	}

	private Instant instant(String value, String field) {
		if (value == null) {
			reject(field, "obligatoire (ISO-8601, par exemple 2026-11-26T10:00:00Z)",
					"required (ISO-8601, for example 2026-11-26T10:00:00Z)");
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException notAnInstant) {
			reject(field, "doit être un instant ISO-8601, par exemple 2026-11-26T10:00:00Z",
					"must be an ISO-8601 instant, for example 2026-11-26T10:00:00Z");
			return null;
		}
	}

	private void notFor(boolean present, String field, String french, String english) {
		if (present) {
			reject(field, french, english);
		}
	}

	private void reject(String field, String french, String english) {
		errors.add(new LocalizedFieldError(field, french, english));
	}

}
