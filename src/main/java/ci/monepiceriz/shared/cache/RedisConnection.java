package ci.monepiceriz.shared.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import reactor.core.publisher.Mono;

/**
 * A few shared, pipelined Lettuce connections (string keys, byte values), used in turn,
 * opened lazily and without blocking. One connection is served by one I/O thread, which
 * also runs the rest of every request whose reply it decodes: with one connection per
 * core, cache hits are spread over all cores instead of queueing behind one thread.
 * <p>
 * The service starts and serves without Redis: while it is unreachable, commands fail at
 * once (no queueing), and each connection is tried again at most once per
 * {@code reconnect-interval}; once connected, Lettuce reconnects by itself.
 */
@Component
public class RedisConnection implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);

	private final RedisClient client;

	private final RedisURI uri;

	private final RedisProperties properties;

	private final Clock clock;

	private final AtomicReferenceArray<StatefulRedisConnection<String, byte[]>> connections;

	private final AtomicLongArray nextAttemptMillis;

	private final AtomicInteger turn = new AtomicInteger();

	public RedisConnection(RedisProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
		this.uri = RedisURI.create(properties.uri());
		this.uri.setTimeout(properties.timeout());
		this.client = RedisClient.create();
		this.client.setOptions(ClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.timeoutOptions(TimeoutOptions.enabled(properties.timeout()))
			.build());
		int size = properties.connections() > 0 ? properties.connections() : Runtime.getRuntime().availableProcessors();
		this.connections = new AtomicReferenceArray<>(size);
		this.nextAttemptMillis = new AtomicLongArray(size);
	}

	/**
	 * The reactive commands of the next connection, or an error at once when Redis cannot
	 * be reached now.
	 */
	public Mono<RedisReactiveCommands<String, byte[]>> commands() {
		int slot = Math.floorMod(turn.getAndIncrement(), connections.length());
		StatefulRedisConnection<String, byte[]> current = connections.get(slot);
		if (current != null) {
			return Mono.just(current.reactive());
		}
		return connect(slot).map(StatefulRedisConnection::reactive);
	}

	public Duration timeout() {
		return properties.timeout();
	}

	private Mono<StatefulRedisConnection<String, byte[]>> connect(int slot) {
		long now = clock.millis();
		long next = nextAttemptMillis.get(slot);
		if (now < next
				|| !nextAttemptMillis.compareAndSet(slot, next, now + properties.reconnectInterval().toMillis())) {
			return Mono.error(new RedisUnavailable("Redis unreachable, next attempt soon"));
		}
		return Mono
			.fromCompletionStage(
					() -> client.connectAsync(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), uri))
			.map(opened -> keep(slot, opened))
			.doOnError(error -> log.warn("Redis unreachable at {}:{}: {}", uri.getHost(), uri.getPort(),
					error.getMessage()));
	}

	private StatefulRedisConnection<String, byte[]> keep(int slot, StatefulRedisConnection<String, byte[]> opened) {
		if (connections.compareAndSet(slot, null, opened)) {
			log.info("Connected to Redis at {}:{} (connection {})", uri.getHost(), uri.getPort(), slot);
			return opened;
		}
		opened.closeAsync();
		return connections.get(slot);
	}

	@Override
	public void destroy() {
		for (int slot = 0; slot < connections.length(); slot++) {
			StatefulRedisConnection<String, byte[]> current = connections.getAndSet(slot, null);
			if (current != null) {
				current.close();
			}
		}
		client.shutdown();
	}

	/** Redis cannot be used right now. */
	public static final class RedisUnavailable extends RuntimeException {

		RedisUnavailable(String message) {
			super(message, null, false, false);
		}

	}

}
