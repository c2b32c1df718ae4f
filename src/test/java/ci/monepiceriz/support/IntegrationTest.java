package ci.monepiceriz.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole application on a random port against real PostgreSQL, Redis and Kafka (see
 * {@link TestServices}), on its own freshly created and migrated database, with the demo
 * catalog loaded.
 * <p>
 * The outbox relay is off: the test contexts cached in one JVM share the database, and a
 * relay left running in one of them would publish (to its own broker) the events another
 * test waits for, and hold pool connections a test counts. A test about published events
 * turns it on ({@code shop.outbox.relay-enabled=true}), on its own database when it uses
 * its own broker (see {@link StoppableKafka}). With no relay, appended events wait: the
 * lag threshold is an hour, so they do not fail the health check other tests expect
 * healthy (a test about the lag sets its own).
 * <p>
 * Each context's pool is capped at 10 connections: the contexts cached in the JVM (about
 * eight) keep their pools open until it exits, and PostgreSQL's default of 100
 * connections must hold them all. Waiting for a connection may take 10 s instead of 3 s:
 * the concurrency tests queue hundreds of requests on those 10.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.flyway.locations=classpath:db/migration,classpath:db/demo",
				"logging.structured.format.console=", "logging.level.access=warn",
				// the cached contexts close one after another when the JVM exits: quickly
				"server.shutdown=immediate", "spring.lifecycle.timeout-per-shutdown-phase=2s",
				"shop.outbox.relay-enabled=false", "shop.outbox.lag-threshold=1h", "spring.r2dbc.pool.max-size=10",
				"spring.r2dbc.pool.initial-size=1", "spring.r2dbc.pool.max-acquire-time=10s",
				// reconciliation, refund, notice dispatch, courier booking and journal
				// rounds run only when a test calls them
				"shop.payment.reconciliation-interval=1h", "shop.payment.refunds.interval=1h",
				"shop.notification.dispatch-interval=1h",
				// the Yango booking job and journal poller too (contexts with Yango on)
				"shop.delivery.yango.claims.booking-interval=1h", "shop.delivery.yango.claims.journal-interval=1h" })
@ContextConfiguration(initializers = TestServicesInitializer.class)
@AutoConfigureWebTestClient
public @interface IntegrationTest {

}
