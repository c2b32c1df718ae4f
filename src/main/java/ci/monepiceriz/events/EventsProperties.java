package ci.monepiceriz.events;

import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.events.*}: the topics the modules publish to.
 *
 * @param ordersTopic the topic of order events ({@code OrderPlaced},
 * {@code OrderStatusChanged}, {@code OrderReservationExpired}), keyed by order number
 */
@ConfigurationProperties("shop.events")
public record EventsProperties(@DefaultValue("monepiceriz.orders") String ordersTopic) {

	// Kafka's own rule for topic names
	private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

	public EventsProperties {
		if (ordersTopic == null || !TOPIC.matcher(ordersTopic).matches()) {
			throw new IllegalArgumentException(
					"shop.events.orders-topic must be 1 to 249 letters, digits, '.', '_' or '-': " + ordersTopic);
		}
	}

}
