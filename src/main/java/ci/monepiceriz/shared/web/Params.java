package ci.monepiceriz.shared.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.web.reactive.function.server.ServerRequest;

import ci.monepiceriz.shared.web.Problem.LocalizedFieldError;

/**
 * Reads query parameters and collects every bad one, so that a single 400 names them all.
 * Call {@link #throwIfInvalid()} once everything has been read.
 */
public final class Params {

	private final ServerRequest request;

	private final List<LocalizedFieldError> errors = new ArrayList<>();

	private Params(ServerRequest request) {
		this.request = request;
	}

	public static Params of(ServerRequest request) {
		return new Params(request);
	}

	private Optional<String> raw(String name) {
		return request.queryParam(name).map(String::strip).filter(value -> !value.isEmpty());
	}

	public Optional<String> text(String name, int maxLength) {
		Optional<String> value = raw(name);
		if (value.isPresent() && value.get().length() > maxLength) {
			reject(name, "ne doit pas dépasser " + maxLength + " caractères",
					"must not be longer than " + maxLength + " characters");
			return Optional.empty();
		}
		return value;
	}

	public Optional<Long> wholeNumber(String name, long min, long max) {
		Optional<String> value = raw(name);
		if (value.isEmpty()) {
			return Optional.empty();
		}
		try {
			long parsed = Long.parseLong(value.get());
			if (parsed >= min && parsed <= max) {
				return Optional.of(parsed);
			}
		}
		catch (NumberFormatException notANumber) {
			// reported below
		}
		reject(name, "doit être un nombre entier entre " + min + " et " + max,
				"must be a whole number between " + min + " and " + max);
		return Optional.empty();
	}

	public Optional<Boolean> bool(String name) {
		Optional<String> value = raw(name);
		if (value.isEmpty()) {
			return Optional.empty();
		}
		if (value.get().equals("true") || value.get().equals("false")) {
			return Optional.of(Boolean.parseBoolean(value.get()));
		}
		reject(name, "doit valoir true ou false", "must be true or false");
		return Optional.empty();
	}

	/**
	 * One of the enum's constants, written in lower case in the query (e.g.
	 * {@code price_asc}).
	 */
	public <E extends Enum<E>> Optional<E> oneOf(String name, Class<E> type) {
		Optional<String> value = raw(name);
		if (value.isEmpty()) {
			return Optional.empty();
		}
		for (E constant : type.getEnumConstants()) {
			if (constant.name().equalsIgnoreCase(value.get())) {
				return Optional.of(constant);
			}
		}
		List<String> allowed = new ArrayList<>();
		for (E constant : type.getEnumConstants()) {
			allowed.add(constant.name().toLowerCase());
		}
		reject(name, "doit être l'une des valeurs " + allowed, "must be one of " + allowed);
		return Optional.empty();
	}

	public void reject(String name, String french, String english) {
		errors.add(new LocalizedFieldError(name, french, english));
	}

	public boolean hasErrors() {
		return !errors.isEmpty();
	}

	public void throwIfInvalid() {
		if (!errors.isEmpty()) {
			throw Problem.withErrors(CommonProblem.INVALID_PARAMETERS, errors);
		}
	}

}
