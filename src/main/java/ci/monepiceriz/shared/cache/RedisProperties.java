package ci.monepiceriz.shared.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.redis.*}: where Redis is and how long a command may take before the service
 * goes on without it.
 *
 * @param uri Redis URI, e.g. {@code redis://127.0.0.1:6379/0}
 * @param timeout time allowed to one cache command; past it the request is served from
 * PostgreSQL
 * @param reconnectInterval how often to try again to connect while Redis is unreachable
 * @param connections pipelined connections used in turn; 0 means one per available core
 */
@ConfigurationProperties("shop.redis")
public record RedisProperties(@DefaultValue("redis://127.0.0.1:6379/0") String uri,
		@DefaultValue("200ms") Duration timeout, @DefaultValue("1s") Duration reconnectInterval,
		@DefaultValue("0") int connections) {
}
