package ci.monepiceriz.delivery.yango;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import ci.monepiceriz.delivery.DeliveryProperties;
import ci.monepiceriz.delivery.FlatFeeQuotes;
import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.Destination;
import ci.monepiceriz.delivery.domain.QuoteOutcome;
import ci.monepiceriz.shared.CircuitBreaker;
import ci.monepiceriz.shared.MutableClock;
import ci.monepiceriz.shared.cache.RedisConnection;
import ci.monepiceriz.shared.cache.RedisProperties;
import ci.monepiceriz.support.YangoStub;
import reactor.test.StepVerifier;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The adapter alone against the stubs of {@code contracts/yango}, without Redis (every
 * quote is a cache miss): its circuit breaker and its timer.
 */
class YangoQuotesTest {

	private final WireMockServer yango = YangoStub.server();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private RedisConnection noRedis;

	private YangoQuotes quotes;

	private YangoProperties properties;

	private DeliveryProperties delivery;

	@BeforeEach
	void setUp() {
		yango.resetRequests();
		yango.resetScenarios();
		noRedis = new RedisConnection(
				new RedisProperties("redis://127.0.0.1:1/0", Duration.ofMillis(50), Duration.ofSeconds(1), 1),
				Clock.systemUTC());
		properties = new YangoProperties(true, yango.baseUrl(), YangoStub.TOKEN, "fr", "courier",
				new YangoProperties.Store("Boutique, Treichville", YangoStub.STORE_LATITUDE, YangoStub.STORE_LONGITUDE,
						"", "", ""),
				Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5), 1, Duration.ofMillis(10),
				Duration.ofMillis(20), Duration.ofSeconds(2), 2, Duration.ofMinutes(5),
				YangoProperties.Fallback.FLAT_FEE, Duration.ofMinutes(2), Duration.ofMinutes(10));
		delivery = new DeliveryProperties(1000, Duration.ofMinutes(60), 3000, Duration.ofMinutes(30));
		quotes = YangoConfiguration.quotes(properties, delivery, noRedis, JsonMapper.builder().build(), meters,
				Clock.systemUTC());
	}

	@AfterEach
	void tearDown() {
		noRedis.destroy();
	}

	@Test
	void quotesThroughYangoWhenItsCacheIsDownAndTimesEachQuote() {
		StepVerifier.create(quotes.quote(new Destination("Cocody", 5.36, -3.911)))
			.expectNext(new QuoteOutcome.Quoted(new DeliveryQuote(1235, Duration.ofMinutes(42), "YANGO")))
			.verifyComplete();
		assertThat(meters.find(YangoQuotes.TIMER).tags("provider", "yango", "outcome", "quoted").timer().count())
			.isEqualTo(1);
	}

	@Test
	void anOpenCircuitAnswersTheFallbackWithoutCallingYango() {
		Destination down = new Destination("Cocody", 5.36, -3.912);
		QuoteOutcome flat = new QuoteOutcome.Quoted(new DeliveryQuote(1000, Duration.ofMinutes(60), "FLAT"));
		StepVerifier.create(quotes.quote(down)).expectNext(flat).verifyComplete();
		StepVerifier.create(quotes.quote(down)).expectNext(flat).verifyComplete();
		int calls = yango.findAll(postRequestedFor(urlPathEqualTo(CheckPrice.PATH))).size();
		assertThat(calls).isEqualTo(4);

		// two unavailable quotes opened the circuit: even a served cell gets the fallback
		StepVerifier.create(quotes.quote(new Destination("Cocody", 5.36, -3.911))).expectNext(flat).verifyComplete();
		assertThat(yango.findAll(postRequestedFor(urlPathEqualTo(CheckPrice.PATH)))).hasSize(calls);
		assertThat(meters.find(YangoQuotes.TIMER).tags("outcome", "circuit-open").timer().count()).isEqualTo(1);
		assertThat(meters.find(YangoQuotes.TIMER).tags("outcome", "unavailable").timer().count()).isEqualTo(2);
	}

	@Test
	void aBodyThatCannotBeWrittenFailsTheQuoteWithoutTakingTheHalfOpenTrial() {
		MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
		CircuitBreaker breaker = new CircuitBreaker(1, Duration.ofSeconds(30), clock);
		assertThat(breaker.tryAcquire()).isTrue();
		breaker.failed();
		clock.advance(Duration.ofSeconds(31)); // the next call is the half-open trial
		JsonMapper broken = JsonMapper.builder()
			.addModule(new SimpleModule().addSerializer(Double.class, new ValueSerializer<Double>() {
				@Override
				public void serialize(Double value, JsonGenerator generator, SerializationContext context) {
					throw new IllegalStateException("a bug while writing the body");
				}
			}))
			.build();
		YangoQuotes failing = new YangoQuotes(properties, YangoConfiguration.http(properties, clock), broken,
				new QuoteCache(noRedis, properties.cacheTtl(), properties.notServedTtl(), meters),
				new FlatFeeQuotes(delivery), meters, breaker);

		StepVerifier.create(failing.quote(new Destination("Cocody", 5.36, -3.911))).expectError().verify();

		assertThat(yango.findAll(postRequestedFor(urlPathEqualTo(CheckPrice.PATH)))).isEmpty();
		assertThat(breaker.tryAcquire()).as("the trial is still free").isTrue();
	}

}
