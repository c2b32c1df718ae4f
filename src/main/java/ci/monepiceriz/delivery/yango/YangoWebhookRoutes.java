package ci.monepiceriz.delivery.yango;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.delivery.persistence.R2dbcClaims;

/**
 * The Yango webhook is served whether Yango is enabled or not: it only flags claims we
 * have (none while Yango was never enabled: every callback is then a 404), so turning
 * Yango off never makes Yango's retries of a pending callback hit an unknown route.
 */
@Configuration(proxyBeanMethods = false)
class YangoWebhookRoutes {

	@Bean
	RouterFunction<ServerResponse> yangoWebhook(R2dbcClaims claims, Clock clock) {
		return YangoWebhook.routes(claims, clock);
	}

}
