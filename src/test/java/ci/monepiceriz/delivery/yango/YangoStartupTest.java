package ci.monepiceriz.delivery.yango;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import ci.monepiceriz.delivery.DeliveryProperties;
import ci.monepiceriz.delivery.DeliveryQuotes;
import ci.monepiceriz.delivery.FlatFeeQuotes;
import ci.monepiceriz.shared.cache.RedisConnection;
import ci.monepiceriz.shared.cache.RedisProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * The quotes chosen at start-up, the Yango settings' checks and the production check, in
 * a small application context (no database, no server, no Redis needed).
 */
class YangoStartupTest {

	private static final String TOKEN = "y0_AgAAAAB-live-token-value";

	private static final String[] STORE = { "shop.delivery.yango.store.address=Boutique, Treichville",
			"shop.delivery.yango.store.latitude=5.3", "shop.delivery.yango.store.longitude=-4.01" };

	private static final String[] CONTACT = { "shop.delivery.yango.store.contact-name=Boutique",
			"shop.delivery.yango.store.contact-phone=+2252721000000",
			"shop.delivery.yango.store.contact-email=boutique@monepiceriz.ci" };

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class, FlatFeeQuotes.class, YangoConfiguration.class,
				YangoProductionCheck.class)
		.withBean(JsonMapper.class, () -> JsonMapper.builder().build())
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(Clock.class, Clock::systemUTC)
		.withBean(RedisConnection.class,
				() -> new RedisConnection(
						new RedisProperties("redis://127.0.0.1:1/0", Duration.ofMillis(50), Duration.ofSeconds(1), 1),
						Clock.systemUTC()));

	@Test
	void quotesTheFlatFeeUnlessYangoIsEnabled() {
		runner.run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DeliveryQuotes.class)).isInstanceOf(FlatFeeQuotes.class);
		});
		runner.withPropertyValues("shop.delivery.yango.enabled=true").withPropertyValues(STORE).run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DeliveryQuotes.class)).isInstanceOf(YangoQuotes.class);
		});
	}

	@Test
	void startsWithTheEmptyStoreSettingsOfApplicationYmlWhileYangoIsOff() {
		runner
			.withPropertyValues("shop.delivery.yango.store.latitude=", "shop.delivery.yango.store.longitude=",
					"shop.delivery.yango.store.address=", "shop.delivery.yango.token=")
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(YangoProperties.class).store().latitude()).isNull();
			});
	}

	@Test
	void logsNeitherTheTokenNorTheStoreContact() {
		runner.withPropertyValues("shop.delivery.yango.token=" + TOKEN)
			.withPropertyValues(STORE)
			.withPropertyValues(CONTACT)
			.run(context -> assertThat(context.getBean(YangoProperties.class).toString()).contains("token=<set>")
				.contains("contact=<set>")
				.doesNotContain(TOKEN, "+2252721000000", "boutique@monepiceriz.ci"));
	}

	@Test
	void refusesToStartYangoWithoutTheStoresLocation() {
		runner.withPropertyValues("shop.delivery.yango.enabled=true")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("shop.delivery.yango.store.address, .latitude and .longitude"));
	}

	@Test
	void inProductionRefusesYangoWithoutAToken() {
		runner.withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
			.withPropertyValues("shop.delivery.yango.enabled=true")
			.withPropertyValues(STORE)
			.withPropertyValues(CONTACT)
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Refusing to start in production")
				.hasMessageContaining("YANGO_TOKEN"));
	}

	@Test
	void inProductionStartsWithATokenWithoutShowingItAndWithoutYangoNeedsNone() {
		runner.withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
			.run(context -> assertThat(context).hasNotFailed().hasBean("yangoSettingsChecked"));
		runner.withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
			.withPropertyValues("shop.delivery.yango.enabled=true", "shop.delivery.yango.token=" + TOKEN)
			.withPropertyValues(STORE)
			.withPropertyValues(CONTACT)
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(YangoProperties.class).toString()).contains("token=<set>")
					.doesNotContain(TOKEN);
			});
	}

	@Test
	void namesEveryProductionProblem() {
		runner.withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
			.withPropertyValues("shop.delivery.yango.enabled=true", "shop.delivery.yango.token=" + TOKEN,
					"shop.delivery.yango.base-url=http://b2b.taxi.tst.yandex.net")
			.withPropertyValues(STORE)
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be https")
				.hasMessageContaining("test or local host")
				.hasMessageContaining("store contact")
				.message()
				.doesNotContain(TOKEN));
	}

	@Test
	void refusesSettingsThatMakeNoSense() {
		runner.withPropertyValues("shop.delivery.yango.taxi-class=bicycle")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("taxi-class"));
		runner.withPropertyValues("shop.delivery.yango.retries=9")
			.run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("retries"));
		runner.withPropertyValues("shop.delivery.yango.store.contact-phone=0707070707")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("contact-phone"));
		runner.withPropertyValues("shop.delivery.yango.base-url=ftp://yango")
			.run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("base-url"));
		runner.withPropertyValues("shop.delivery.yango.fallback=SOMETIMES")
			.run(context -> assertThat(context).hasFailed());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ YangoProperties.class, DeliveryProperties.class })
	static class Properties {

	}

}
