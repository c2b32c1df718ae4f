package ci.monepiceriz.shared.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.micrometer.context.ContextRegistry;
import reactor.core.publisher.Mono;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it is sane, else a
 * new one), returns it, carries it in the Reactor context (where
 * {@code tap}/{@code handle} operators restore it to the logging MDC) and puts it in the
 * MDC of the access-log line and of error logs. Automatic propagation to every operator
 * is off: it cost about 8 % of the CPU of a cached catalog read.
 */
@Component
@Order(-110)
class RequestIds implements WebFilter {

	static final String HEADER = "X-Request-Id";

	static final String KEY = "requestId";

	private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private static final Logger access = LoggerFactory.getLogger("access");

	static {
		ContextRegistry.getInstance()
			.registerThreadLocalAccessor(KEY, () -> MDC.get(KEY), value -> MDC.put(KEY, value), () -> MDC.remove(KEY));
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String given = request.getHeaders().getFirst(HEADER);
		String id = given != null && SANE.matcher(given).matches() ? given : newId();
		exchange.getResponse().getHeaders().set(HEADER, id);
		long start = System.nanoTime();
		return chain.filter(exchange)
			.doFinally(signal -> logAccess(exchange, start))
			.contextWrite(context -> context.put(KEY, id));
	}

	/**
	 * A random version-4 UUID from {@link ThreadLocalRandom}: {@code UUID.randomUUID()}
	 * reads {@code /dev/urandom} through {@code SecureRandom}, a blocking call on the
	 * event loop (BlockHound caught it), and a request id needs no cryptographic
	 * strength.
	 */
	static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low).toString();
	}

	/** Runs a logging call with this exchange's request id in the MDC. */
	static void logWithRequestId(ServerWebExchange exchange, Runnable logging) {
		String id = exchange.getResponse().getHeaders().getFirst(HEADER);
		MDC.put(KEY, id);
		try {
			logging.run();
		}
		finally {
			MDC.remove(KEY);
		}
	}

	private static final Pattern TOKEN_SEGMENT = Pattern.compile("(?<=/)[A-Za-z0-9_-]{43}(?=/|$)");

	/**
	 * The request path as logs may show it: bearer tokens in it (cart links) replaced by
	 * {@code {token}} (PRODUCT.md §11: no tokens in logs or error reports). The query
	 * string, which may carry an order's access token, is never logged.
	 */
	static String loggable(ServerWebExchange exchange) {
		return TOKEN_SEGMENT.matcher(exchange.getRequest().getPath().value()).replaceAll("{token}");
	}

	private static void logAccess(ServerWebExchange exchange, long start) {
		if (!access.isInfoEnabled()) {
			return;
		}
		logWithRequestId(exchange,
				() -> access.atInfo()
					.addKeyValue("method", exchange.getRequest().getMethod().name())
					.addKeyValue("path", loggable(exchange))
					.addKeyValue("status",
							exchange.getResponse().getStatusCode() == null ? 200
									: exchange.getResponse().getStatusCode().value())
					.addKeyValue("durationMicros", (System.nanoTime() - start) / 1000)
					.log("request"));
	}

}
