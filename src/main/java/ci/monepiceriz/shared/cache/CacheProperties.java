package ci.monepiceriz.shared.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code shop.cache.*}: the two levels of {@link ReadThroughCache}.
 *
 * @param localTtl how long an instance keeps a body in memory
 * @param localMaxSize memory given to bodies kept in the instance (by body size)
 * @param generationRefresh how often an instance reads the generations from Redis, so
 * that a change made through another instance reaches it within this delay
 */
@ConfigurationProperties("shop.cache")
public record CacheProperties(@DefaultValue("5s") Duration localTtl, @DefaultValue("64MB") DataSize localMaxSize,
		@DefaultValue("250ms") Duration generationRefresh) {
}
