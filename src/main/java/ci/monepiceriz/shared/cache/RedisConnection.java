package ci.monepiceriz.shared.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
 * One shared, pipelined Lettuce connection (string keys, byte values), opened lazily and
 * without blocking. The service starts and serves without Redis: while it is unreachable,
 * commands fail at once (no queueing) and a new connection is tried at most once per
 * {@code reconnect-interval}; once connected, Lettuce reconnects by itself.
 */
@Component
public class RedisConnection implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);

	private final RedisClient client;

	private final RedisURI uri;

	private final RedisProperties properties;

	private final Clock clock;

	private final AtomicReference<StatefulRedisConnection<String, byte[]>> connection = new AtomicReference<>();

	private final AtomicLong nextAttemptMillis = new AtomicLong();

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
	}

	/** The reactive commands, or an error at once when Redis cannot be reached now. */
	public Mono<RedisReactiveCommands<String, byte[]>> commands() {
		StatefulRedisConnection<String, byte[]> current = connection.get();
		if (current != null) {
			return Mono.just(current.reactive());
		}
		return connect().map(StatefulRedisConnection::reactive);
	}

	public Duration timeout() {
		return properties.timeout();
	}

	private Mono<StatefulRedisConnection<String, byte[]>> connect() {
		long now = clock.millis();
		long next = nextAttemptMillis.get();
		if (now < next || !nextAttemptMillis.compareAndSet(next, now + properties.reconnectInterval().toMillis())) {
			return Mono.error(new RedisUnavailable("Redis unreachable, next attempt soon"));
		}
		return Mono.fromCompletionStage(() -> client.connectAsync(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), uri))
			.map(this::keep)
			.doOnError(error -> log.warn("Redis unreachable at {}: {}", uri.getHost() + ":" + uri.getPort(),
					error.getMessage()));
	}

	private StatefulRedisConnection<String, byte[]> keep(StatefulRedisConnection<String, byte[]> opened) {
		if (connection.compareAndSet(null, opened)) {
			log.info("Connected to Redis at {}:{}", uri.getHost(), uri.getPort());
			return opened;
		}
		opened.closeAsync();
		return connection.get();
	}

	@Override
	public void destroy() {
		StatefulRedisConnection<String, byte[]> current = connection.getAndSet(null);
		if (current != null) {
			current.close();
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
