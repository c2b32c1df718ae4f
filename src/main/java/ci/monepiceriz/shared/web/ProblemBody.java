package ci.monepiceriz.shared.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The RFC 9457 document: standard members plus our {@code code} and per-field
 * {@code errors}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProblemBody(String type, String title, int status, String detail, String instance, String code,
		List<FieldError> errors) {
}
