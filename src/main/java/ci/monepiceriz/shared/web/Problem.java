package ci.monepiceriz.shared.web;

import java.util.List;

/**
 * A client's mistake or a refused request, raised by a handler and answered by
 * {@link Problems} as {@code application/problem+json}. Not a bug: never logged as one.
 */
public final class Problem extends RuntimeException {

	private final transient ProblemType type;

	private final transient List<Object> args;

	private final transient List<LocalizedFieldError> errors;

	private Problem(ProblemType type, List<Object> args, List<LocalizedFieldError> errors) {
		super(type.code(), null, false, false);
		this.type = type;
		this.args = args;
		this.errors = errors;
	}

	public static Problem of(ProblemType type, Object... args) {
		return new Problem(type, List.of(args), List.of());
	}

	public static Problem withErrors(ProblemType type, List<LocalizedFieldError> errors) {
		return new Problem(type, List.of(), List.copyOf(errors));
	}

	/** A 400 naming one bad parameter or field. */
	public static Problem invalidParameter(String name, String french, String english) {
		return withErrors(CommonProblem.INVALID_PARAMETERS, List.of(new LocalizedFieldError(name, french, english)));
	}

	public ProblemType type() {
		return type;
	}

	public List<Object> args() {
		return args;
	}

	public List<LocalizedFieldError> errors() {
		return errors;
	}

	/** A field error whose text is chosen once the caller's language is known. */
	public record LocalizedFieldError(String name, String french, String english) {

		FieldError in(Lang lang) {
			return new FieldError(name, lang.pick(french, english));
		}

	}

}
