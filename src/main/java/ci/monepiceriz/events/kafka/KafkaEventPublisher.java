package ci.monepiceriz.events.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
 * The event port on reactor-kafka: an idempotent producer with {@code acks=all}, so a
 * retried send never duplicates nor reorders a key's records.
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

	private final KafkaSender<String, byte[]> sender;

	KafkaEventPublisher(KafkaProperties properties) {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
				ProducerConfig.CLIENT_ID_CONFIG, properties.clientId() + "-events", ProducerConfig.ACKS_CONFIG, "all",
				ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
				ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) properties.requestTimeout().toMillis(),
				// the producer retries (without duplicates) within this time; past it the
				// send fails and the caller (the outbox relay) tries again later
				ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) properties.requestTimeout().toMillis() * 6,
				ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) properties.requestTimeout().toMillis());
		this.sender = KafkaSender.create(SenderOptions.<String, byte[]>create(config)
			.withKeySerializer(new StringSerializer())
			.withValueSerializer(new ByteArraySerializer())
			// results, and the sends of records past the first requested ones, on the
			// send thread too
			.scheduler(sending));
	}

	@Override
	public Mono<Void> publish(List<Message> messages) {
		if (messages.isEmpty()) {
			return Mono.empty();
		}
		return Flux.defer(() -> sender.send(Flux.fromIterable(messages).map(KafkaEventPublisher::record)))
			.subscribeOn(sending)
			.concatMap(result -> result.exception() == null ? Mono.empty() : Mono.error(result.exception()))
			.then();
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
		sender.close();
		sending.dispose();
	}

}
