package ci.monepiceriz.support;

import org.apache.kafka.common.utils.Exit;

import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;

/**
 * A real single-node Kafka (KRaft, broker and controller combined) inside this JVM, from
 * Kafka's own test kit, for tests and local runs when no {@code KAFKA_BOOTSTRAP_SERVERS}
 * is given. Spring's {@code spring-kafka-test} broker does not start with Kafka 3.9.1
 * under Boot 4.1, hence the test kit. Started once, closed when the JVM exits.
 */
public final class InProcessKafka {

	private static KafkaClusterTestKit cluster;

	private InProcessKafka() {
	}

	public static synchronized String bootstrapServers() {
		if (cluster == null) {
			cluster = start();
			Runtime.getRuntime().addShutdownHook(new Thread(InProcessKafka::close, "in-process-kafka-shutdown"));
		}
		return cluster.bootstrapServers();
	}

	private static KafkaClusterTestKit start() {
		// A broker that meets a fatal fault (as one can while the JVM shuts down around
		// it)
		// halts the whole process with status 1: the test run would then fail although
		// every
		// test passed. Kafka's own tests switch that off the same way.
		Exit.setHaltProcedure((status, message) -> System.err.println("In-process Kafka asked to halt: " + message));
		Exit.setExitProcedure((status, message) -> System.err.println("In-process Kafka asked to exit: " + message));
		try {
			KafkaClusterTestKit kit = singleNode().build();
			kit.format();
			kit.startup();
			kit.waitForReadyBrokers();
			return kit;
		}
		catch (Exception error) {
			throw new IllegalStateException("Could not start the in-process Kafka broker: " + error.getMessage(),
					error);
		}
	}

	/**
	 * The test kit for one combined node (broker and controller) configured as a
	 * one-broker cluster can be: replication factors of 1, topics created on first use
	 * with 3 partitions, consumer groups without the initial rebalance delay.
	 */
	static KafkaClusterTestKit.Builder singleNode() {
		return new KafkaClusterTestKit.Builder(
				new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
			.setConfigProp("auto.create.topics.enable", "true")
			.setConfigProp("offsets.topic.replication.factor", "1")
			.setConfigProp("transaction.state.log.replication.factor", "1")
			.setConfigProp("transaction.state.log.min.isr", "1")
			.setConfigProp("num.partitions", "3")
			.setConfigProp("group.initial.rebalance.delay.ms", "0");
	}

	/**
	 * Closes the broker at JVM exit, waiting 20 s at most: the JVM is going away anyway.
	 */
	private static synchronized void close() {
		if (cluster == null) {
			return;
		}
		KafkaClusterTestKit closing = cluster;
		cluster = null;
		Thread closer = new Thread(() -> {
			try {
				closing.close();
			}
			catch (Exception ignored) {
				// the JVM is exiting
			}
		}, "in-process-kafka-close");
		closer.setDaemon(true);
		closer.start();
		try {
			closer.join(20_000);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
