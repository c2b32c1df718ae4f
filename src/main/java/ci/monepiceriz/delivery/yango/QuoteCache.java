package ci.monepiceriz.delivery.yango;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.SetArgs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import ci.monepiceriz.delivery.domain.DestinationCell;
import ci.monepiceriz.shared.cache.RedisConnection;
import reactor.core.publisher.Mono;

/**
 * Yango quotes per destination cell in Redis for {@code cache-ttl}: shared by the
 * instances, so a burst of shoppers in one neighbourhood costs one {@code check-price}
 * (Yango's rate limit is the account's, not an instance's), and two instances quote the
 * same fee for the same cell. Only Yango's own answers are kept: its prices, and its "not
 * served here" for {@code not-served-ttl}; never a fallback for Yango being unavailable.
 * The cache is an optimisation: a failing or slow Redis (its command timeout,
 * {@code shop.redis.timeout}) is a miss, and a failed write is forgotten; neither fails a
 * quote. Values are {@code fee:etaSeconds} (or {@code fee:} without a time), and
 * {@code x:code} for a cell Yango does not serve.
 */
final class QuoteCache {

	private static final Logger log = LoggerFactory.getLogger(QuoteCache.class);

	private static final String PREFIX = "shop:delivery:yango-quote:v2:";

	private static final String NOT_SERVED = "x:";

	/** Yango's error codes as kept: {@code estimating.cant_construct_route}, say. */
	private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final RedisConnection redis;

	private final Duration ttl;

	private final Duration notServedTtl;

	private final Counter hits;

	private final Counter misses;

	private final Counter errors;

	QuoteCache(RedisConnection redis, Duration ttl, Duration notServedTtl, MeterRegistry meters) {
		this.redis = redis;
		this.ttl = ttl;
		this.notServedTtl = notServedTtl;
		this.hits = meters.counter("delivery.quote.cache", "result", "hit");
		this.misses = meters.counter("delivery.quote.cache", "result", "miss");
		this.errors = meters.counter("delivery.quote.cache", "result", "error");
	}

	/**
	 * The key of a price from the store's cell {@code from} to {@code cell}, for the taxi
	 * class: a store that moves never reads prices asked from where it was.
	 */
	static String key(DestinationCell from, DestinationCell cell, String taxiClass) {
		return PREFIX + taxiClass + ":" + from.key() + ":" + cell.key();
	}

	/**
	 * Yango's cached answer for the cell, a price or "not served"; empty on a miss or
	 * when Redis fails.
	 */
	Mono<CheckPrice.Answer> get(String key) {
		return redis.commands()
			.flatMap(commands -> commands.get(key))
			.timeout(redis.timeout().multipliedBy(2))
			.flatMap(value -> Mono.justOrEmpty(decode(value)))
			.doOnNext(found -> hits.increment())
			.switchIfEmpty(Mono.<CheckPrice.Answer>fromRunnable(misses::increment))
			.onErrorResume(error -> {
				errors.increment();
				log.debug("Yango quote cache unavailable, asking Yango: {}", error.toString());
				return Mono.empty();
			});
	}

	/** Keeps a price, or a "not served" when that is kept at all; never fails. */
	Mono<Void> put(String key, CheckPrice.Answer answer) {
		Duration keep = answer instanceof CheckPrice.NotServed ? notServedTtl : ttl;
		if (answer instanceof CheckPrice.Unusable || keep.isZero()) {
			return Mono.empty();
		}
		return redis.commands()
			.flatMap(commands -> commands.set(key, encode(answer), SetArgs.Builder.px(keep.toMillis())))
			.timeout(redis.timeout().multipliedBy(2))
			.then()
			.onErrorResume(error -> {
				errors.increment();
				log.debug("Yango quote not cached: {}", error.toString());
				return Mono.empty();
			});
	}

	static byte[] encode(CheckPrice.Answer answer) {
		if (answer instanceof CheckPrice.NotServed notServed) {
			String code = notServed.code() != null && CODE.matcher(notServed.code()).matches() ? notServed.code()
					: "not-served";
			return (NOT_SERVED + code).getBytes(StandardCharsets.US_ASCII);
		}
		CheckPrice.Priced price = (CheckPrice.Priced) answer;
		String eta = price.eta() == null ? "" : Long.toString(price.eta().toSeconds());
		return (price.fee() + ":" + eta).getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * A kept answer, or null for anything unreadable (a key written by another version).
	 */
	static CheckPrice.Answer decode(byte[] value) {
		String text = new String(value, StandardCharsets.US_ASCII);
		if (text.startsWith(NOT_SERVED)) {
			String code = text.substring(NOT_SERVED.length());
			return CODE.matcher(code).matches() ? new CheckPrice.NotServed(code) : null;
		}
		int colon = text.indexOf(':');
		if (colon < 1) {
			return null;
		}
		try {
			long fee = Long.parseLong(text.substring(0, colon));
			String eta = text.substring(colon + 1);
			return fee < 0 ? null
					: new CheckPrice.Priced(fee, eta.isEmpty() ? null : Duration.ofSeconds(Long.parseLong(eta)));
		}
		catch (NumberFormatException unreadable) {
			return null;
		}
	}

}
