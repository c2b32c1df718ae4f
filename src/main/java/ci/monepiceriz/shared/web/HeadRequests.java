package ci.monepiceriz.shared.web;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.HttpHeadResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * HEAD wherever GET works (RFC 9110 §9.3.2): functional routes match GET only, so a HEAD
 * request is routed as a GET whose body is dropped, headers (length, ETag) kept.
 */
@Component
@Order(-80)
class HeadRequests implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!HttpMethod.HEAD.equals(exchange.getRequest().getMethod())) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate()
			.request(request -> request.method(HttpMethod.GET))
			.response(new HttpHeadResponseDecorator(exchange.getResponse()))
			.build());
	}

}
