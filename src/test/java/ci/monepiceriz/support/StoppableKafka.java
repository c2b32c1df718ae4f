package ci.monepiceriz.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.utils.Exit;
import org.springframework.test.context.DynamicPropertyRegistry;

import kafka.server.BrokerServer;
import kafka.testkit.KafkaClusterTestKit;

/**
 * A Kafka broker of a test's own (KRaft, one combined node, from Kafka's test kit) that
 * the test can stop and start again while the application runs, to show what happens when
 * Kafka goes away and comes back. {@link #stop()} shuts the broker down (connections
 * closed, new ones refused; its controller keeps running); {@link #start()} starts it
 * again on the same port, with its logs, so clients reconnect to the same address and
 * find every record written before the stop.
 * <p>
 * Use it with an application context of its own, on a database of its own: every test
 * context cached in the JVM shares the default test database, and a relay there would
 * publish the outbox to the shared broker instead.
 *
 * <pre>
 * &#64;IntegrationTest
 * class KafkaGoesAwayIT {
 *
 * 	static final StoppableKafka kafka = new StoppableKafka();
 *
 * 	&#64;DynamicPropertySource
 * 	static void properties(DynamicPropertyRegistry registry) {
 * 		// this broker, a fresh database named after the SHOP_TEST_DATABASE, relay on
 * 		kafka.register(registry, "kafka_goes_away");
 * 	}
 *
 * 	&#64;AfterAll
 * 	static void close() {
 * 		kafka.close();
 * 	}
 *
 * 	&#64;Test
 * 	void ... {
 * 		kafka.stop();
 * 		// ... work while Kafka is down
 * 		kafka.start();
 * 		// ... consume from kafka.bootstrapServers()
 * 	}
 *
 * }
 * </pre>
 *
 * A small {@code shop.kafka.request-timeout} (e.g. 1s, also given to {@link #register})
 * makes the outage show quickly.
 */
public final class StoppableKafka implements AutoCloseable {

	private final int port;

	private final KafkaClusterTestKit cluster;

	public StoppableKafka() {
		// as InProcessKafka: a broker's fatal fault must not halt the test JVM
		Exit.setHaltProcedure((status, message) -> System.err.println("Stoppable Kafka asked to halt: " + message));
		Exit.setExitProcedure((status, message) -> System.err.println("Stoppable Kafka asked to exit: " + message));
		this.port = freePort();
		try {
			cluster = InProcessKafka.singleNode()
				// a fixed client port, so that the restarted broker is where clients
				// expect it (the test kit would take a new ephemeral port)
				.setConfigProp("listeners", "EXTERNAL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:0")
				.build();
			cluster.format();
			cluster.startup();
			cluster.waitForReadyBrokers();
		}
		catch (Exception error) {
			throw new IllegalStateException("Could not start a stoppable Kafka broker: " + error.getMessage(), error);
		}
	}

	/** The broker's address, the same before and after a restart. */
	public String bootstrapServers() {
		return "127.0.0.1:" + port;
	}

	/**
	 * Shuts the broker down, as a stopped Kafka: connections closed, new ones refused.
	 */
	public synchronized void stop() {
		broker().shutdown();
	}

	/** Starts the broker again on the same port and waits until it serves clients. */
	public synchronized void start() {
		broker().startup();
		try {
			cluster.waitForReadyBrokers();
			broker().lifecycleManager().initialUnfenceFuture().get(60, TimeUnit.SECONDS);
		}
		catch (Exception error) {
			throw new IllegalStateException("The stoppable Kafka broker did not come back: " + error.getMessage(),
					error);
		}
	}

	/**
	 * Points the application at this broker and at a fresh database of its own
	 * ({@code <test database>_<suffix>}, created and migrated when the context starts),
	 * with the outbox relay on and a 1 s Kafka request timeout.
	 */
	public void register(DynamicPropertyRegistry registry, String databaseSuffix) {
		String database = TestServicesInitializer.DATABASE + "_" + databaseSuffix;
		TestServices.recreateDatabase(database);
		TestServices.Postgres pg = TestServices.postgres();
		registry.add("spring.r2dbc.url", () -> pg.r2dbcUrl(database));
		registry.add("spring.flyway.url", () -> pg.jdbcUrl(database));
		registry.add("shop.kafka.bootstrap-servers", this::bootstrapServers);
		registry.add("shop.kafka.request-timeout", () -> "1s");
		registry.add("shop.outbox.relay-enabled", () -> "true");
	}

	@Override
	public void close() {
		try {
			cluster.close();
		}
		catch (Exception ignored) {
			// the test is over
		}
	}

	private BrokerServer broker() {
		return cluster.brokers().values().iterator().next();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException error) {
			throw new IllegalStateException(error);
		}
	}

}
