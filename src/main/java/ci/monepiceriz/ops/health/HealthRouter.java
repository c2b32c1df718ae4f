package ci.monepiceriz.ops.health;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** {@code GET /api/health} for operators. */
@Configuration(proxyBeanMethods = false)
class HealthRouter {

	@Bean
	RouterFunction<ServerResponse> healthRoutes(HealthHandler handler) {
		return route(GET("/api/health"), handler::health);
	}

}
