package ci.monepiceriz.payment.cinetpay;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import ci.monepiceriz.payment.PaymentProvider;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payment provider chosen by {@code shop.payment.cinetpay.api}: {@code v2} is
 * {@link CinetPayGateway}; {@code new} (the 2026 API, Bearer token and per-transaction
 * {@code notify_token}) has no adapter yet, and the service refuses to start with it
 * rather than run half a payment integration.
 */
@Configuration(proxyBeanMethods = false)
class CinetPayConfiguration {

	@Bean
	PaymentProvider paymentProvider(CinetPayProperties properties, JsonMapper json, MeterRegistry meters, Clock clock) {
		if (properties.api() != CinetPayProperties.Api.V2) {
			throw new IllegalStateException("shop.payment.cinetpay.api=" + properties.api().name().toLowerCase()
					+ ": the adapter for CinetPay's new API (Bearer token, notify_token) is not implemented yet;"
					+ " set shop.payment.cinetpay.api=v2 (legacy Checkout v2, apikey + site_id)");
		}
		return gateway(properties, json, meters, clock);
	}

	static CinetPayGateway gateway(CinetPayProperties properties, JsonMapper json, MeterRegistry meters, Clock clock) {
		CircuitBreaker breaker = new CircuitBreaker(properties.breakerFailureThreshold(),
				properties.breakerOpenDuration(), clock);
		return new CinetPayGateway(properties, webClient(properties), json, meters, breaker);
	}

	/** A client of its own: CinetPay's timeouts, not anybody else's. */
	static WebClient webClient(CinetPayProperties properties) {
		HttpClient client = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(properties.connectTimeout().toMillis()))
			.responseTimeout(properties.responseTimeout());
		return WebClient.builder()
			.baseUrl(properties.baseUrl())
			.clientConnector(new ReactorClientHttpConnector(client))
			.build();
	}

}
