package ci.monepiceriz.shared.web;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The last line of the RFC 9457 edge: whatever escaped the routers (unknown routes, wrong
 * methods or media types, unreadable bodies, bugs) becomes a problem document. A client's
 * mistake is never a 500, and a 500 never carries a stack trace.
 */
@Component
@Order(-2) // before Boot's DefaultErrorWebExceptionHandler (-1)
public class ProblemExceptionHandler implements WebExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

	private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
			HttpMethod.PATCH, HttpMethod.DELETE);

	private final JsonMapper json;

	private final RequestLimits limits;

	private final List<RouterFunction<?>> routers;

	private final List<HttpMessageReader<?>> readers;

	ProblemExceptionHandler(JsonMapper json, List<RouterFunction<?>> routers, ServerCodecConfigurer codecs,
			RequestLimits limits) {
		this.limits = limits;
		this.json = json;
		this.routers = routers;
		this.readers = codecs.getReaders();
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(error);
		}
		if (error instanceof ResponseStatusException status && status.getStatusCode() == HttpStatus.NOT_FOUND
				&& !(error instanceof Problem)) {
			return allowedMethods(exchange).flatMap(allowed -> allowed.isEmpty() ? write(exchange, error)
					: write(exchange, new MethodNotAllowedException(exchange.getRequest().getMethod(), allowed)));
		}
		return write(exchange, error);
	}

	/**
	 * Functional routers answer 404 for a known path with a wrong method: the methods
	 * that some router would take for this path, to answer 405 with {@code Allow}
	 * instead.
	 */
	private Mono<Set<HttpMethod>> allowedMethods(ServerWebExchange exchange) {
		return Flux.fromIterable(METHODS)
			.filter(method -> !method.equals(exchange.getRequest().getMethod()))
			.filterWhen(method -> routes(exchange, method))
			.collect(Collectors.toCollection(LinkedHashSet::new));
	}

	private Mono<Boolean> routes(ServerWebExchange exchange, HttpMethod method) {
		ServerRequest probe = ServerRequest.create(exchange.mutate().request(request -> request.method(method)).build(),
				readers);
		return Flux.fromIterable(routers).concatMap(router -> router.route(probe)).hasElements();
	}

	private Mono<Void> write(ServerWebExchange exchange, Throwable error) {
		ServerHttpResponse response = exchange.getResponse();
		Problem problem = toProblem(exchange, error);
		HttpHeaders requestHeaders = exchange.getRequest().getHeaders();
		ProblemBody body = Problems.body(problem, requestHeaders, exchange.getRequest().getPath().value());
		byte[] bytes = json.writeValueAsBytes(body);
		response.setStatusCode(problem.type().status());
		HttpHeaders headers = response.getHeaders();
		Problems.describe(headers, problem, requestHeaders);
		headers.setContentLength(bytes.length);
		headers.remove(HttpHeaders.ETAG);
		headers.remove(HttpHeaders.CACHE_CONTROL);
		if (error instanceof MethodNotAllowedException notAllowed) {
			headers.setAllow(notAllowed.getSupportedMethods());
		}
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
	}

	private Problem toProblem(ServerWebExchange exchange, Throwable error) {
		if (error instanceof Problem problem) {
			return problem;
		}
		if (error instanceof MethodNotAllowedException) {
			return Problem.of(CommonProblem.METHOD_NOT_ALLOWED, exchange.getRequest().getMethod().name());
		}
		if (error instanceof UnsupportedMediaTypeStatusException unsupported) {
			return Problem.of(CommonProblem.UNSUPPORTED_MEDIA_TYPE, String.valueOf(unsupported.getContentType()));
		}
		if (error instanceof NotAcceptableStatusException) {
			return Problem.of(CommonProblem.NOT_ACCEPTABLE);
		}
		if (isTooLarge(error)) {
			return Problem.of(CommonProblem.PAYLOAD_TOO_LARGE, limits.maxBodyBytes());
		}
		if (isUnavailable(error)) {
			RequestIds.logWithRequestId(exchange, () -> log.warn("Database unavailable on {} {}: {}",
					exchange.getRequest().getMethod(), RequestIds.loggable(exchange), error.toString()));
			return Problem.of(CommonProblem.SERVICE_UNAVAILABLE);
		}
		if (error instanceof ServerWebInputException) {
			return mistypedField(error)
				.map(field -> Problem.invalidParameter(field,
						"valeur d'un type inattendu (nombre, texte ou objet attendu ailleurs)",
						"value of an unexpected type (a number, text or object is expected there)"))
				.orElseGet(() -> Problem.of(CommonProblem.MALFORMED_REQUEST));
		}
		if (error instanceof ResponseStatusException status && status.getStatusCode() == HttpStatus.NOT_FOUND) {
			return Problem.of(CommonProblem.ROUTE_NOT_FOUND, exchange.getRequest().getPath().value());
		}
		if (error instanceof ResponseStatusException status && status.getStatusCode().is4xxClientError()) {
			return Problem.of(CommonProblem.MALFORMED_REQUEST);
		}
		RequestIds.logWithRequestId(exchange, () -> log.error("Unhandled error on {} {}",
				exchange.getRequest().getMethod(), RequestIds.loggable(exchange), error));
		return Problem.of(CommonProblem.INTERNAL_ERROR);
	}

	/**
	 * The JSON path of a body field whose value had the wrong type (a text where a number
	 * is expected, say), so that the answer can name it; empty for unreadable JSON.
	 */
	private static Optional<String> mistypedField(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
				return Optional.of(mismatch.getPath()
					.stream()
					.map(step -> step.getPropertyName() != null ? step.getPropertyName() : "[" + step.getIndex() + "]")
					.collect(Collectors.joining("."))
					.replace(".[", "["));
			}
		}
		return Optional.empty();
	}

	/**
	 * The database cannot be reached, or no connection freed up in time (the pool's
	 * acquire timeout under overload: Spring reports it as a transaction that could not
	 * be created): a 503 with {@code Retry-After}, not a bug.
	 */
	private static boolean isUnavailable(Throwable error) {
		return error instanceof DataAccessResourceFailureException || error instanceof TransientDataAccessException
				|| error instanceof CannotCreateTransactionException;
	}

	private static boolean isTooLarge(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataBufferLimitException) {
				return true;
			}
		}
		return false;
	}

}
