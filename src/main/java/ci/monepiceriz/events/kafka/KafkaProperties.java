package ci.monepiceriz.events.kafka;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.kafka.*}.
 *
 * @param bootstrapServers the brokers, e.g. {@code kafka-0:9092,kafka-1:9092}
 * @param clientId client id prefix shown in broker logs and metrics
 * @param requestTimeout time allowed to one broker request (and to the health probe)
 */
@ConfigurationProperties("shop.kafka")
public record KafkaProperties(@DefaultValue("127.0.0.1:9092") String bootstrapServers,
		@DefaultValue("monepiceriz-shop") String clientId, @DefaultValue("5s") Duration requestTimeout) {
}
