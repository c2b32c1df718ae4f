package ci.monepiceriz.payment.web;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.shared.web.Problem;
import ci.monepiceriz.shared.web.Problems;

/** Storefront payment routes (PRODUCT.md §7, issue 5). */
@Configuration(proxyBeanMethods = false)
class PaymentRouter {

	@Bean
	RouterFunction<ServerResponse> paymentRoutes(PaymentHandler handler, WebhookHandler webhooks) {
		return route().POST("/api/orders/{number}/payments", handler::start)
			.GET("/api/payments/return", handler::showReturn)
			.POST("/api/payments/return", handler::showPostedReturn)
			.POST("/api/webhooks/cinetpay", webhooks::notify)
			.GET("/api/webhooks/cinetpay", webhooks::ping)
			.POST("/api/webhooks/cinetpay/transfers", webhooks::transferNotified)
			.GET("/api/webhooks/cinetpay/transfers", webhooks::ping)
			.onError(Problem.class, Problems::respond)
			.build();
	}

}
