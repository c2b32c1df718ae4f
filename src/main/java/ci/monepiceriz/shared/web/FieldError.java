package ci.monepiceriz.shared.web;

/** One bad input: which parameter or field, and why, in the caller's language. */
public record FieldError(String name, String detail) {
}
