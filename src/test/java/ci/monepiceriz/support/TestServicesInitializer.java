package ci.monepiceriz.support;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a test application context at the {@link TestServices}, on a test database
 * recreated once per JVM (so every run starts from the migrations and the demo catalog).
 */
public class TestServicesInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	public static final String DATABASE = "monepice_test";

	private static boolean recreated;

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		synchronized (TestServicesInitializer.class) {
			if (!recreated) {
				TestServices.recreateDatabase(DATABASE);
				recreated = true;
			}
		}
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("testServices", TestServices.springProperties(DATABASE)));
	}

}
