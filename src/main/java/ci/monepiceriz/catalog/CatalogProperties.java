package ci.monepiceriz.catalog;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.catalog.*}.
 *
 * @param cacheEnabled serve reads through the Redis cache (off only to measure the
 * database path)
 * @param cacheTtl how long a cached page or product stays in Redis; a staff change
 * invalidates at once, so this only bounds how stale stock flags can get
 * @param maxAge {@code Cache-Control: max-age} given to browsers and CDNs
 * @param exportPageSize products read per query while streaming the export
 */
@ConfigurationProperties("shop.catalog")
public record CatalogProperties(@DefaultValue("true") boolean cacheEnabled, @DefaultValue("60s") Duration cacheTtl,
		@DefaultValue("30s") Duration maxAge, @DefaultValue("200") int exportPageSize) {
}
