package ci.monepiceriz.delivery.yango;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

import ci.monepiceriz.delivery.Couriers;
import ci.monepiceriz.delivery.DeliveredOrders;
import ci.monepiceriz.delivery.StaffAlerts;
import ci.monepiceriz.delivery.persistence.R2dbcClaims;
import ci.monepiceriz.events.EventsProperties;
import ci.monepiceriz.events.Outbox;
import ci.monepiceriz.shared.CircuitBreaker;
import ci.monepiceriz.shared.persistence.Transactions;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code shop.delivery.yango.enabled=true}, couriers are booked by
 * {@link ClaimBooking}, followed by {@link JournalTracker} (and the {@link YangoWebhook},
 * served whatever the setting), and cancelled through {@link YangoCouriers}; what staff
 * must act on is measured by {@link DeliveryMonitor}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "shop.delivery.yango.enabled", havingValue = "true")
class YangoClaimsConfiguration {

	@Bean
	YangoClaims yangoClaims(YangoProperties properties, YangoClaimsProperties claims, JsonMapper json,
			MeterRegistry meters, Clock clock) {
		// a breaker of its own: quotes failing must not stop couriers being booked
		CircuitBreaker breaker = new CircuitBreaker(properties.breakerFailureThreshold(),
				properties.breakerOpenDuration(), clock);
		return new YangoClaims(claims, YangoConfiguration.http(properties, clock), json, meters, breaker);
	}

	@Bean
	ClaimStatuses claimStatuses(R2dbcClaims claims, DeliveredOrders orders, StaffAlerts staff, Outbox outbox,
			EventsProperties events, YangoClaimsProperties settings, Clock clock) {
		return new ClaimStatuses(claims, orders, staff, outbox, events, settings, clock);
	}

	@Bean
	ClaimBooking claimBooking(YangoClaims yango, R2dbcClaims claims, ClaimStatuses statuses, Transactions transactions,
			YangoProperties properties, YangoClaimsProperties settings, JsonMapper json, Clock clock) {
		return new ClaimBooking(yango, claims, statuses, transactions, properties, settings, json, clock);
	}

	@Bean
	JournalTracker journalTracker(YangoClaims yango, R2dbcClaims claims, ClaimStatuses statuses,
			Transactions transactions, YangoClaimsProperties settings, MeterRegistry meters, Clock clock) {
		return new JournalTracker(yango, claims, statuses, transactions, settings, meters, clock);
	}

	@Bean
	DeliveryMonitor deliveryMonitor(DatabaseClient db, Clock clock, MeterRegistry meters) {
		return new DeliveryMonitor(db, clock, meters);
	}

	@Bean
	Couriers yangoCouriers(R2dbcClaims claims, Outbox outbox, EventsProperties events, JsonMapper json,
			YangoClaims yango, Transactions transactions, Clock clock) {
		return new YangoCouriers(claims, outbox, events, json, yango, transactions, clock);
	}

}
