package ci.monepiceriz.notification.ga4;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import ci.monepiceriz.notification.PurchaseAnalytics;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/** The purchase analytics adapter: GA4's Measurement Protocol on its own client. */
@Configuration(proxyBeanMethods = false)
class Ga4Configuration {

	@Bean
	PurchaseAnalytics purchaseAnalytics(Ga4Properties properties, JsonMapper json) {
		return new Ga4MeasurementProtocol(webClient(properties), properties, json);
	}

	/** A client of its own: GA4's timeouts, not anybody else's. */
	static WebClient webClient(Ga4Properties properties) {
		HttpClient client = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(properties.connectTimeout().toMillis()))
			.responseTimeout(properties.responseTimeout());
		return WebClient.builder()
			.baseUrl(properties.baseUrl())
			.clientConnector(new ReactorClientHttpConnector(client))
			.build();
	}

}
