package ci.monepiceriz.shared.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.idempotency.*}.
 *
 * @param ttl how long a key's answer is kept for replay
 * @param purgeInterval how often expired keys are deleted
 */
@ConfigurationProperties("shop.idempotency")
public record IdempotencyProperties(@DefaultValue("24h") Duration ttl, @DefaultValue("10m") Duration purgeInterval) {
}
