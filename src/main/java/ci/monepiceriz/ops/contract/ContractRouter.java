package ci.monepiceriz.ops.contract;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves the published HTTP contract ({@code contracts/openapi.yaml}) at
 * {@code /api/openapi.yaml}.
 */
@Configuration(proxyBeanMethods = false)
class ContractRouter {

	static final MediaType YAML = MediaType.parseMediaType("application/yaml");

	@Bean
	RouterFunction<ServerResponse> contractRoutes() {
		ClassPathResource contract = new ClassPathResource("contracts/openapi.yaml");
		return route()
			.GET("/api/openapi.yaml",
					request -> ServerResponse.ok()
						.contentType(YAML)
						.cacheControl(CacheControl.noCache())
						.bodyValue(contract))
			.build();
	}

}
