package ci.monepiceriz.cart.web;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.shared.web.Problem;
import ci.monepiceriz.shared.web.Problems;

/** Storefront cart routes (PRODUCT.md §13). */
@Configuration(proxyBeanMethods = false)
class CartRouter {

	@Bean
	RouterFunction<ServerResponse> cartRoutes(CartHandler handler) {
		return route().POST("/api/carts", handler::create)
			.GET("/api/carts/{token}", handler::show)
			.PUT("/api/carts/{token}/lines/{skuCode}", handler::setLine)
			.DELETE("/api/carts/{token}/lines/{skuCode}", handler::removeLine)
			.POST("/api/carts/{token}/delivery-quote", handler::quote)
			.onError(Problem.class, Problems::respond)
			.build();
	}

}
