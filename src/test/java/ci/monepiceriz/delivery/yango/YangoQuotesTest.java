package ci.monepiceriz.delivery.yango;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import ci.monepiceriz.delivery.DeliveryProperties;
import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.Destination;
import ci.monepiceriz.delivery.domain.QuoteOutcome;
import ci.monepiceriz.shared.cache.RedisConnection;
import ci.monepiceriz.shared.cache.RedisProperties;
import ci.monepiceriz.support.YangoStub;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The adapter alone against the stubs of {@code contracts/yango}, without Redis (every
 * quote is a cache miss): its circuit breaker and its timer.
 */
class YangoQuotesTest {

	private final WireMockServer yango = YangoStub.server();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private RedisConnection noRedis;

	private YangoQuotes quotes;

	@BeforeEach
	void setUp() {
		yango.resetRequests();
		yango.resetScenarios();
		noRedis = new RedisConnection(
				new RedisProperties("redis://127.0.0.1:1/0", Duration.ofMillis(50), Duration.ofSeconds(1), 1),
				Clock.systemUTC());
		YangoProperties properties = new YangoProperties(true, yango.baseUrl(), YangoStub.TOKEN, "fr", "courier",
				new YangoProperties.Store("Boutique, Treichville", YangoStub.STORE_LATITUDE, YangoStub.STORE_LONGITUDE,
						"", "", ""),
				Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5), 1, Duration.ofMillis(10),
				Duration.ofMillis(20), Duration.ofSeconds(2), 2, Duration.ofMinutes(5),
				YangoProperties.Fallback.FLAT_FEE, Duration.ofMinutes(2), Duration.ofMinutes(10));
		quotes = YangoConfiguration.quotes(properties,
				new DeliveryProperties(1000, Duration.ofMinutes(60), 3000, Duration.ofMinutes(30)), noRedis,
				JsonMapper.builder().build(), meters, Clock.systemUTC());
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

}
