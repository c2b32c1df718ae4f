package ci.monepiceriz.shared.web;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * The security headers of PRODUCT.md §11 on every response, errors and 304s included: set
 * just before the response is committed, so no later handler can drop them.
 */
@Component
@Order(-100)
class SecurityHeaders implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		exchange.getResponse().beforeCommit(() -> {
			HttpHeaders headers = exchange.getResponse().getHeaders();
			headers.set("X-Frame-Options", "SAMEORIGIN");
			headers.set("X-Content-Type-Options", "nosniff");
			headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
			headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
			return Mono.empty();
		});
		return chain.filter(exchange);
	}

}
