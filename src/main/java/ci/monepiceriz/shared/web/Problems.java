package ci.monepiceriz.shared.web;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * The one place that turns a {@link Problem} into an RFC 9457 answer: stable type URI per
 * code, French texts unless the caller asks for English, the request path as
 * {@code instance}, and one entry per bad field.
 */
public final class Problems {

	public static final String TYPE_BASE = "https://api.monepiceriz.ci/problems/";

	/**
	 * What a client is told to wait when a dependency is down: long enough for a
	 * failover.
	 */
	private static final String RETRY_AFTER_SECONDS = "5";

	private Problems() {
	}

	public static ProblemBody body(Problem problem, HttpHeaders requestHeaders, String path) {
		Lang lang = Lang.of(requestHeaders);
		ProblemType.Text text = problem.type().text();
		String detail = String.format(lang.pick(text.detailFr(), text.detailEn()), problem.args().toArray());
		List<FieldError> errors = problem.errors().stream().map(error -> error.in(lang)).toList();
		return new ProblemBody(TYPE_BASE + text.code(), lang.pick(text.titleFr(), text.titleEn()),
				text.status().value(), detail, path, text.code(), errors);
	}

	/** The answer of a router's {@code onError} for a problem raised by its handlers. */
	public static Mono<ServerResponse> respond(Throwable error, ServerRequest request) {
		Problem problem = (Problem) error;
		ProblemBody body = body(problem, request.headers().asHttpHeaders(), request.path());
		return ServerResponse.status(problem.type().status())
			.headers(headers -> describe(headers, problem, request.headers().asHttpHeaders()))
			.bodyValue(body);
	}

	/**
	 * The headers of every problem answer, from a router or from the last-line handler:
	 * media type, the language chosen, {@code Vary} on it, and {@code Retry-After} when a
	 * dependency is down.
	 */
	static void describe(HttpHeaders headers, Problem problem, HttpHeaders requestHeaders) {
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		headers.set(HttpHeaders.CONTENT_LANGUAGE, Lang.of(requestHeaders).name().toLowerCase());
		headers.set(HttpHeaders.VARY, HttpHeaders.ACCEPT_LANGUAGE);
		if (problem.type().status() == org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE) {
			headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		}
	}

}
