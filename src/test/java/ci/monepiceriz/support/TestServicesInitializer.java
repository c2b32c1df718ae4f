package ci.monepiceriz.support;

import java.util.HashMap;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Points a test application context at the {@link TestServices}, on a test database
 * recreated once per JVM (so every run starts from the migrations and the demo catalog)
 * and a Redis database flushed at the same time, and at the {@link CinetPayStub} instead
 * of CinetPay, the {@link YangoStub} instead of Yango, the {@link SmtpStub} for e-mails
 * and the {@link Ga4Stub} instead of GA4.
 */
public class TestServicesInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	/**
	 * The test database, {@code monepice_test} unless {@code SHOP_TEST_DATABASE} names
	 * another (two checkouts testing at once on one machine must not share it).
	 */
	public static final String DATABASE = System.getenv().getOrDefault("SHOP_TEST_DATABASE", "monepice_test");

	/**
	 * The Redis database of the tests, flushed once per JVM; the service itself uses 0.
	 */
	public static final int REDIS_DATABASE = Integer
		.parseInt(System.getenv().getOrDefault("SHOP_TEST_REDIS_DATABASE", "15"));

	private static boolean recreated;

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		synchronized (TestServicesInitializer.class) {
			if (!recreated) {
				TestServices.recreateDatabase(DATABASE);
				TestServices.flushRedis(REDIS_DATABASE);
				recreated = true;
			}
		}
		// below a test's own @TestPropertySource, above everything else
		MutablePropertySources sources = context.getEnvironment().getPropertySources();
		Map<String, Object> properties = new HashMap<>(TestServices.springProperties(DATABASE, REDIS_DATABASE));
		properties.putAll(CinetPayStub.springProperties());
		properties.putAll(YangoStub.springProperties());
		properties.putAll(SmtpStub.springProperties());
		properties.putAll(Ga4Stub.springProperties());
		MapPropertySource services = new MapPropertySource("testServices", properties);
		if (sources.contains(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME)) {
			sources.addAfter(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, services);
		}
		else {
			sources.addFirst(services);
		}
	}

}
