package ci.monepiceriz.ordering.web;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.shared.web.Problem;
import ci.monepiceriz.shared.web.Problems;

/** Storefront order routes (PRODUCT.md §13). */
@Configuration(proxyBeanMethods = false)
class OrderingRouter {

	@Bean
	RouterFunction<ServerResponse> orderingRoutes(OrderHandler handler) {
		return route().POST("/api/orders", handler::place)
			.GET("/api/orders/{number}", handler::show)
			.GET("/api/orders/{number}/events", handler::events)
			.onError(Problem.class, Problems::respond)
			.build();
	}

}
