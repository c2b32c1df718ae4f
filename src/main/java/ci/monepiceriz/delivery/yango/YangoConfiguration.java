package ci.monepiceriz.delivery.yango;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import ci.monepiceriz.delivery.DeliveryProperties;
import ci.monepiceriz.delivery.DeliveryQuotes;
import ci.monepiceriz.delivery.FlatFeeQuotes;
import ci.monepiceriz.shared.CircuitBreaker;
import ci.monepiceriz.shared.cache.RedisConnection;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code shop.delivery.yango.enabled=true}, deliveries are quoted by
 * {@link YangoQuotes} (the flat fee bean then does not exist: {@code FlatFeeQuotes} is
 * only its fallback).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "shop.delivery.yango.enabled", havingValue = "true")
class YangoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(YangoConfiguration.class);

	@Bean
	DeliveryQuotes yangoQuotes(YangoProperties properties, DeliveryProperties delivery, RedisConnection redis,
			JsonMapper json, MeterRegistry meters, Clock clock) {
		log.info("Delivery quotes from Yango: {}", properties);
		return quotes(properties, delivery, redis, json, meters, clock);
	}

	static YangoQuotes quotes(YangoProperties properties, DeliveryProperties delivery, RedisConnection redis,
			JsonMapper json, MeterRegistry meters, Clock clock) {
		CircuitBreaker breaker = new CircuitBreaker(properties.breakerFailureThreshold(),
				properties.breakerOpenDuration(), clock);
		return new YangoQuotes(properties, http(properties, clock), json,
				new QuoteCache(redis, properties.cacheTtl(), properties.notServedTtl(), meters),
				new FlatFeeQuotes(delivery), meters, breaker);
	}

	/** Yango's exchanges on a client of its own: Yango's timeouts, not anybody else's. */
	static YangoHttp http(YangoProperties properties, Clock clock) {
		HttpClient client = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(properties.connectTimeout().toMillis()))
			.responseTimeout(properties.responseTimeout());
		return new YangoHttp(properties,
				WebClient.builder()
					.baseUrl(properties.baseUrl())
					.clientConnector(new ReactorClientHttpConnector(client))
					.build(),
				clock);
	}

}
