package ci.monepiceriz.events.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import ci.monepiceriz.events.EventPublisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderOptions;
import reactor.kafka.sender.SenderRecord;

/**
 * The event port on reactor-kafka: a transactional (so idempotent) producer with
 * {@code acks=all}. Each {@link #publish(List)} is one Kafka transaction: its records
 * become visible to {@code read_committed} consumers all together, when it commits, or
 * never. So a batch that fails halfway (Kafka going away mid-send, acknowledgements lost)
 * leaves nothing behind that its retry would duplicate: the idempotent producer alone
 * dedupes its own retries, not a new send of the same records after a failure. After any
 * failure the producer is replaced: a transactional producer whose commit or abort failed
 * cannot be trusted with the next transaction, and the new one, with the same
 * {@code transactional.id}, fences the old one and aborts whatever it left open.
 * <p>
 * reactor-kafka calls {@code KafkaProducer.send} on the thread that emits the records
 * (and creates the producer on the first subscriber's thread); {@code send} blocks, up to
 * {@code max.block.ms}, while the topic's metadata is unknown (first use of a topic, or a
 * broker down since start-up). So every send runs on one dedicated thread, never on an
 * event loop; being one thread, it also keeps the order of successive calls.
 */
@Component
class KafkaEventPublisher implements EventPublisher, DisposableBean {

	private final ExecutorService sendThread = Executors.newSingleThreadExecutor(task -> {
		Thread thread = new Thread(task, "kafka-send");
		thread.setDaemon(true);
		return thread;
	});

	private final Scheduler sending = Schedulers.fromExecutorService(sendThread, "kafka-send");

	private final SenderOptions<String, byte[]> options;

	private final AtomicReference<KafkaSender<String, byte[]>> sender = new AtomicReference<>();

	/** One transaction at a time per producer: calls must not overlap. */
	private final AtomicBoolean busy = new AtomicBoolean();

	KafkaEventPublisher(KafkaProperties properties) {
		int timeout = (int) properties.requestTimeout().toMillis();
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
				ProducerConfig.CLIENT_ID_CONFIG, properties.clientId() + "-events", ProducerConfig.ACKS_CONFIG, "all",
				ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
				ProducerConfig.TRANSACTIONAL_ID_CONFIG, properties.clientId() + "-events-" + instanceName(),
				ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout,
				// the producer retries (without duplicates) within this time; past it the
				// transaction fails and the caller (the outbox relay) tries again later
				ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout * 6,
				// a transaction left open by a dead producer holds back read_committed
				// consumers of its partitions until the broker aborts it
				ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeout * 12, ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
		this.options = SenderOptions.<String, byte[]>create(config)
			.withKeySerializer(new StringSerializer())
			.withValueSerializer(new ByteArraySerializer())
			.closeTimeout(properties.requestTimeout())
			// results, and the sends of records past the first requested ones, on the
			// send thread too
			.scheduler(sending);
		this.sender.set(KafkaSender.create(options));
	}

	/**
	 * Part of the transactional id: stable across restarts of one instance where the
	 * platform gives a stable name ({@code HOSTNAME}: a Kubernetes pod), so that a
	 * restarted instance fences its former self at once; random otherwise. Two running
	 * instances never share it.
	 */
	private static String instanceName() {
		String host = System.getenv("HOSTNAME");
		return host != null && !host.isBlank() ? host : UUID.randomUUID().toString();
	}

	@Override
	public Mono<Void> publish(List<Message> messages) {
		if (messages.isEmpty()) {
			return Mono.empty();
		}
		return Mono.defer(() -> {
			if (!busy.compareAndSet(false, true)) {
				return Mono.error(new IllegalStateException("a Kafka transaction is already in progress"));
			}
			KafkaSender<String, byte[]> current = sender.get();
			return current.sendTransactionally(Flux.just(Flux.fromIterable(messages).map(KafkaEventPublisher::record)))
				.concatMap(transaction -> transaction)
				.concatMap(result -> result.exception() == null ? Mono.empty() : Mono.error(result.exception()))
				.then()
				.doOnError(error -> replace(current))
				// before the caller hears of the end (it may publish again at once)
				.doOnTerminate(() -> busy.set(false))
				// a transaction whose caller left may still be running: a new producer
				// fences it
				.doOnCancel(() -> {
					replace(current);
					busy.set(false);
				});
		}).subscribeOn(sending);
	}

	/** A new producer instead of one that failed (see the class comment). */
	private void replace(KafkaSender<String, byte[]> failed) {
		if (sender.compareAndSet(failed, KafkaSender.create(options))) {
			sending.schedule(failed::close);
		}
	}

	private static SenderRecord<String, byte[], Void> record(Message message) {
		List<Header> headers = message.headers()
			.entrySet()
			.stream()
			.<Header>map(
					header -> new RecordHeader(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8)))
			.toList();
		return SenderRecord
			.create(new ProducerRecord<>(message.topic(), null, message.key(), message.payload(), headers), null);
	}

	@Override
	public void destroy() {
		sender.get().close();
		sending.dispose();
	}

}
