package ci.monepiceriz.payment.cinetpay;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import ci.monepiceriz.payment.PaymentProvider;
import ci.monepiceriz.shared.CircuitBreaker;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payment provider chosen by {@code shop.payment.cinetpay.api}: {@code v2} is
 * {@link CinetPayGateway} (legacy Checkout v2, apikey + site_id, {@code x-token}
 * webhooks); {@code new} is {@link CinetPayNewApiGateway} (the 2026 API, Bearer token and
 * per-transaction {@code notify_token}). One of them runs; both take their timeouts,
 * retries and circuit breaker settings from {@code shop.payment.cinetpay.*}.
 */
@Configuration(proxyBeanMethods = false)
class CinetPayConfiguration {

	@Bean
	PaymentProvider paymentProvider(CinetPayProperties properties, CinetPayTransferProperties transfer,
			CinetPayNewApiProperties newApi, JsonMapper json, MeterRegistry meters, Clock clock) {
		if (properties.api() == CinetPayProperties.Api.NEW) {
			return newApiGateway(properties, newApi, json, meters, clock);
		}
		return gateway(properties, transfer, json, meters, clock);
	}

	static CinetPayNewApiGateway newApiGateway(CinetPayProperties properties, CinetPayNewApiProperties newApi,
			JsonMapper json, MeterRegistry meters, Clock clock) {
		CircuitBreaker breaker = new CircuitBreaker(properties.breakerFailureThreshold(),
				properties.breakerOpenDuration(), clock);
		return new CinetPayNewApiGateway(properties, newApi, webClient(properties, newApi.baseUrl()), json, meters,
				breaker, clock);
	}

	/** The gateway with the Transfer API at its default address and no password. */
	static CinetPayGateway gateway(CinetPayProperties properties, JsonMapper json, MeterRegistry meters, Clock clock) {
		return gateway(properties,
				new CinetPayTransferProperties("https://client.cinetpay.com/v1", "", java.time.Duration.ofMinutes(4)),
				json, meters, clock);
	}

	static CinetPayGateway gateway(CinetPayProperties properties, CinetPayTransferProperties transfer, JsonMapper json,
			MeterRegistry meters, Clock clock) {
		CircuitBreaker breaker = new CircuitBreaker(properties.breakerFailureThreshold(),
				properties.breakerOpenDuration(), clock);
		return new CinetPayGateway(properties, webClient(properties, properties.baseUrl()), json, meters, breaker,
				transfers(properties, transfer, json, meters, clock));
	}

	/** The Transfer API's client, with a circuit of its own (another host). */
	static CinetPayTransfers transfers(CinetPayProperties properties, CinetPayTransferProperties transfer,
			JsonMapper json, MeterRegistry meters, Clock clock) {
		CircuitBreaker breaker = new CircuitBreaker(properties.breakerFailureThreshold(),
				properties.breakerOpenDuration(), clock);
		return new CinetPayTransfers(properties, transfer, webClient(properties, transfer.baseUrl()), json, meters,
				breaker, clock);
	}

	/** A client of its own: CinetPay's timeouts, not anybody else's. */
	static WebClient webClient(CinetPayProperties properties, String baseUrl) {
		HttpClient client = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(properties.connectTimeout().toMillis()))
			.responseTimeout(properties.responseTimeout());
		return WebClient.builder().baseUrl(baseUrl).clientConnector(new ReactorClientHttpConnector(client)).build();
	}

}
