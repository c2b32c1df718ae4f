package ci.monepiceriz.delivery.yango;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import ci.monepiceriz.delivery.domain.DestinationCell;
import ci.monepiceriz.shared.cache.RedisConnection;
import ci.monepiceriz.shared.cache.RedisProperties;
import reactor.test.StepVerifier;

class QuoteCacheTest {

	@Test
	void keepsFeeAndTimeAndReadsThemBack() {
		CheckPrice.Priced priced = new CheckPrice.Priced(1235, Duration.ofMinutes(42));
		assertThat(new String(QuoteCache.encode(priced), StandardCharsets.US_ASCII)).isEqualTo("1235:2520");
		assertThat(QuoteCache.decode(QuoteCache.encode(priced))).isEqualTo(priced);
		CheckPrice.Priced noTime = new CheckPrice.Priced(1500, null);
		assertThat(QuoteCache.decode(QuoteCache.encode(noTime))).isEqualTo(noTime);
	}

	@Test
	void keepsYangosNotServedWithItsCode() {
		CheckPrice.NotServed notServed = new CheckPrice.NotServed("estimating.cant_construct_route");
		assertThat(new String(QuoteCache.encode(notServed), StandardCharsets.US_ASCII))
			.isEqualTo("x:estimating.cant_construct_route");
		assertThat(QuoteCache.decode(QuoteCache.encode(notServed))).isEqualTo(notServed);
		// a code that could not be kept as it is: kept as "not-served"
		assertThat(QuoteCache.decode(QuoteCache.encode(new CheckPrice.NotServed("zone inconnue: é"))))
			.isEqualTo(new CheckPrice.NotServed("not-served"));
		assertThat(QuoteCache.decode("x:".getBytes(StandardCharsets.US_ASCII))).isNull();
	}

	@Test
	void anUnreadableEntryIsAMiss() {
		for (String bad : new String[] { "", ":", "abc:12", "-5:60", "1500:x", "1500" }) {
			assertThat(QuoteCache.decode(bad.getBytes(StandardCharsets.US_ASCII))).as(bad).isNull();
		}
	}

	@Test
	void keysNameTheTaxiClassTheStoresCellAndTheDestinationsCell() {
		assertThat(QuoteCache.key(DestinationCell.of(5.3, -4.01), DestinationCell.of(5.35, -4.01), "courier"))
			.isEqualTo("shop:delivery:yango-quote:v2:courier:5300:-4010:5350:-4010");
		assertThat(QuoteCache.key(DestinationCell.of(5.31, -4.01), DestinationCell.of(5.35, -4.01), "courier"))
			.as("another store")
			.isNotEqualTo(QuoteCache.key(DestinationCell.of(5.3, -4.01), DestinationCell.of(5.35, -4.01), "courier"));
	}

	@Test
	void aRedisThatCannotBeReachedIsAMissAndAForgottenWriteNeverAFailure() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		RedisConnection nowhere = new RedisConnection(
				new RedisProperties("redis://127.0.0.1:1/0", Duration.ofMillis(50), Duration.ofSeconds(1), 1),
				Clock.systemUTC());
		try {
			QuoteCache cache = new QuoteCache(nowhere, Duration.ofMinutes(2), Duration.ofMinutes(10), meters);
			String key = QuoteCache.key(DestinationCell.of(5.3, -4.01), DestinationCell.of(5.35, -4.01), "courier");

			StepVerifier.create(cache.get(key)).verifyComplete();
			StepVerifier.create(cache.put(key, new CheckPrice.Priced(1500, null))).verifyComplete();
			assertThat(meters.counter("delivery.quote.cache", "result", "error").count()).isEqualTo(2);
		}
		finally {
			nowhere.destroy();
		}
	}

}
