package ci.monepiceriz.shared.web;

import java.time.Duration;
import java.util.List;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.shared.cache.CachedBody;
import reactor.core.publisher.Mono;

/**
 * Answers a cacheable JSON read: a strong {@code ETag} and a short public
 * {@code Cache-Control}, and {@code 304 Not Modified} without a body when the client's
 * {@code If-None-Match} names the current tag.
 */
public final class CachedResponses {

	private CachedResponses() {
	}

	public static Mono<ServerResponse> json(ServerRequest request, CachedBody body, Duration maxAge) {
		requireAcceptable(request, MediaType.APPLICATION_JSON);
		String etag = body.quotedEtag();
		CacheControl cacheControl = CacheControl.maxAge(maxAge).cachePublic();
		if (matches(request.headers().header("If-None-Match"), etag)) {
			return ServerResponse.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(cacheControl).build();
		}
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.eTag(etag)
			.cacheControl(cacheControl)
			.bodyValue(body.body());
	}

	/**
	 * A 406 problem unless the request accepts {@code produced} (no {@code Accept}
	 * accepts all).
	 */
	public static void requireAcceptable(ServerRequest request, MediaType produced) {
		List<MediaType> accepted = request.headers().accept();
		if (accepted.isEmpty()) {
			return;
		}
		for (MediaType type : accepted) {
			if (type.isCompatibleWith(produced)) {
				return;
			}
		}
		throw Problem.of(CommonProblem.NOT_ACCEPTABLE);
	}

	private static boolean matches(List<String> ifNoneMatch, String etag) {
		for (String header : ifNoneMatch) {
			for (String candidate : header.split(",")) {
				String tag = candidate.strip();
				if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
					return true;
				}
			}
		}
		return false;
	}

}
