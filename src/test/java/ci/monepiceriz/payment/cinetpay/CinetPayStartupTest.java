package ci.monepiceriz.payment.cinetpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import ci.monepiceriz.payment.PaymentProvider;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payment provider chosen at start-up, and the production check, in a small
 * application context (no database, no server).
 */
class CinetPayStartupTest {

	private static final String API_KEY = CinetPayPropertiesTest.API_KEY;

	private static final String SECRET_KEY = CinetPayPropertiesTest.SECRET_KEY;

	private static final String API_PASSWORD = "transfer-password-0123";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class, CinetPayConfiguration.class, CinetPayProductionCheck.class)
		.withBean(JsonMapper.class, () -> JsonMapper.builder().build())
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withBean(Clock.class, Clock::systemUTC);

	@Test
	void runsTheCheckoutV2GatewayByDefault() {
		runner.run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(PaymentProvider.class)).isInstanceOf(CinetPayGateway.class);
		});
	}

	@Test
	void runsTheNewApiGatewayWhenChosen() {
		runner.withPropertyValues("shop.payment.cinetpay.api=new").run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(PaymentProvider.class)).isInstanceOf(CinetPayNewApiGateway.class);
			assertThat(context.getBean(PaymentProvider.class).api()).isEqualTo("new");
		});
	}

	@Test
	void inProductionRefusesTheNewApiWithoutItsCredentialsEvenWithTheLegacyOnes() {
		runner.withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
			.withPropertyValues(liveSettings())
			.withPropertyValues("shop.payment.cinetpay.api=new")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Refusing to start in production")
				.hasMessageContaining("CINETPAY_NEW_API_KEY")
				.hasMessageContaining("CINETPAY_NEW_API_PASSWORD")
				.message()
				.doesNotContain(API_KEY, SECRET_KEY));
	}

	@Test
	void inProductionRefusesTheNewApisSandboxKeyAndHostWithoutShowingThem() {
		runner.withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
			.withPropertyValues("shop.payment.cinetpay.api=new",
					"shop.payment.cinetpay.new-api.api-key=sk_test_abcdef123456",
					"shop.payment.cinetpay.new-api.api-password=new-api-password-42",
					"shop.payment.cinetpay.new-api.base-url=https://api.cinetpay.net",
					"shop.payment.cinetpay.notify-base-url=https://api.monepiceriz.ci",
					"shop.payment.cinetpay.return-base-url=https://www.monepiceriz.ci")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("new-API api_key is a sandbox key")
				.hasMessageContaining("new-api.base-url is a sandbox or local host")
				.message()
				.doesNotContain("sk_test_abcdef123456", "new-api-password-42"));
	}

	@Test
	void inProductionStartsTheNewApiWithItsLiveSettingsAlone() {
		runner.withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
			.withPropertyValues("shop.payment.cinetpay.api=new",
					"shop.payment.cinetpay.new-api.api-key=sk_live_abcdef123456",
					"shop.payment.cinetpay.new-api.api-password=new-api-password-42",
					"shop.payment.cinetpay.notify-base-url=https://api.monepiceriz.ci",
					"shop.payment.cinetpay.return-base-url=https://www.monepiceriz.ci")
			.run(context -> {
				assertThat(context).hasNotFailed().hasBean("cinetPaySettingsChecked");
				assertThat(context.getBean(CinetPayNewApiProperties.class).toString())
					.doesNotContain("sk_live_abcdef123456", "new-api-password-42")
					.contains("https://api.cinetpay.co");
			});
	}

	@Test
	void outsideProductionStartsWithoutCredentials() {
		runner.withInitializer(context -> context.getEnvironment().setActiveProfiles("dev"))
			.run(context -> assertThat(context).hasNotFailed());
	}

	@Test
	void inProductionRefusesToStartWithoutCredentialsNamingEachOne() {
		runner.withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
			.withPropertyValues("shop.payment.cinetpay.notify-base-url=https://api.monepiceriz.ci",
					"shop.payment.cinetpay.return-base-url=https://www.monepiceriz.ci")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Refusing to start in production")
				.hasMessageContaining("CINETPAY_API_KEY")
				.hasMessageContaining("CINETPAY_SITE_ID")
				.hasMessageContaining("CINETPAY_SECRET_KEY"));
	}

	@Test
	void inProductionRefusesSandboxKeysWithoutShowingThem() {
		runner.withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
			.withPropertyValues("shop.payment.cinetpay.api-key=sk_test_abcdef123456",
					"shop.payment.cinetpay.site-id=445160", "shop.payment.cinetpay.secret-key=" + SECRET_KEY,
					"shop.payment.cinetpay.notify-base-url=https://api.monepiceriz.ci",
					"shop.payment.cinetpay.return-base-url=https://www.monepiceriz.ci")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("sandbox key")
				.message()
				.doesNotContain("sk_test_abcdef123456", SECRET_KEY, "445160"));
	}

	@Test
	void inProductionStartsWithLiveSettings() {
		runner.withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
			.withPropertyValues(liveSettings())
			.run(context -> assertThat(context).hasNotFailed().hasBean("cinetPaySettingsChecked"));
	}

	@Test
	void inProductionRefusesToStartWithoutTheTransferApiPasswordWithoutShowingAnySecret() {
		String[] settings = java.util.Arrays.stream(liveSettings())
			.filter(setting -> !setting.startsWith("shop.payment.cinetpay.transfer.api-password"))
			.toArray(String[]::new);
		runner.withInitializer(context -> context.getEnvironment().setActiveProfiles("prod"))
			.withPropertyValues(settings)
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("CINETPAY_API_PASSWORD")
				.message()
				.doesNotContain(API_KEY, SECRET_KEY));
	}

	@Test
	void namesEveryTransferApiProblem() {
		assertThat(CinetPayProductionCheck
			.problems(new CinetPayTransferProperties("http://localhost:8089/v1", "", java.time.Duration.ofMinutes(4))))
			.hasSize(3)
			.anySatisfy(problem -> assertThat(problem).contains("CINETPAY_API_PASSWORD"))
			.anySatisfy(problem -> assertThat(problem).contains("sandbox or local"))
			.anySatisfy(problem -> assertThat(problem).contains("must be https"));
		assertThat(CinetPayProductionCheck.problems(new CinetPayTransferProperties("https://client.cinetpay.com/v1",
				API_PASSWORD, java.time.Duration.ofMinutes(4))))
			.isEmpty();
		assertThat(new CinetPayTransferProperties("https://client.cinetpay.com/v1", API_PASSWORD,
				java.time.Duration.ofMinutes(4))
			.toString()).doesNotContain(API_PASSWORD).contains("apiPassword=<set>");
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> new CinetPayTransferProperties("https://client.cinetpay.com/v1", API_PASSWORD,
					java.time.Duration.ofMinutes(5)))
			.hasMessageContaining("token-lifetime");
	}

	@Test
	void namesEveryProductionProblem() {
		CinetPayProperties local = CinetPayPropertiesTest.properties("http://localhost:8089", API_KEY);
		assertThat(CinetPayProductionCheck.problems(local))
			.anySatisfy(problem -> assertThat(problem).contains("base-url"));

		CinetPayProperties sameKeys = new CinetPayProperties(CinetPayProperties.Api.V2,
				"https://api-checkout.cinetpay.com", API_KEY, "445160", API_KEY, "http://api.monepiceriz.ci",
				"https://127.0.0.1", "ALL", java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), 1,
				java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(1), 1, java.time.Duration.ofSeconds(1));
		assertThat(CinetPayProductionCheck.problems(sameKeys)).hasSize(3)
			.anySatisfy(problem -> assertThat(problem).contains("secret key is the apikey"))
			.anySatisfy(problem -> assertThat(problem).contains("notify-base-url"))
			.anySatisfy(problem -> assertThat(problem).contains("return-base-url"))
			.allSatisfy(problem -> assertThat(problem).doesNotContain(API_KEY));

		CinetPayProperties live = CinetPayPropertiesTest.properties("https://api-checkout.cinetpay.com", API_KEY);
		assertThat(CinetPayProductionCheck.problems(live)).isEmpty();
	}

	private static String[] liveSettings() {
		return new String[] { "shop.payment.cinetpay.api-key=" + API_KEY, "shop.payment.cinetpay.site-id=445160",
				"shop.payment.cinetpay.secret-key=" + SECRET_KEY,
				"shop.payment.cinetpay.notify-base-url=https://api.monepiceriz.ci",
				"shop.payment.cinetpay.return-base-url=https://www.monepiceriz.ci",
				"shop.payment.cinetpay.transfer.api-password=" + API_PASSWORD };
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ CinetPayProperties.class, CinetPayTransferProperties.class,
			CinetPayNewApiProperties.class })
	static class Properties {

	}

}
