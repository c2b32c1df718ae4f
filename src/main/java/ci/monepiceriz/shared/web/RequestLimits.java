package ci.monepiceriz.shared.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Refuses request bodies above {@code shop.http.max-body-size} before reading them, from
 * their declared length. Chunked bodies are bounded by the codecs' in-memory limit, which
 * the application sets to the same size; both answer 413.
 */
@Component
@Order(-90)
class RequestLimits implements WebFilter {

	private final long maxBodyBytes;

	RequestLimits(HttpLimits limits) {
		this.maxBodyBytes = limits.maxBodySize().toBytes();
	}

	long maxBodyBytes() {
		return maxBodyBytes;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (exchange.getRequest().getHeaders().getContentLength() > maxBodyBytes) {
			return Mono.error(Problem.of(CommonProblem.PAYLOAD_TOO_LARGE, maxBodyBytes));
		}
		return chain.filter(exchange);
	}

	/** {@code shop.http.*}: limits on what a request may carry. */
	@ConfigurationProperties("shop.http")
	record HttpLimits(@DefaultValue("256KB") DataSize maxBodySize) {
	}

}
