package ci.monepiceriz.ops.startup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * Refuses to start under the {@code prod} profile with development settings (PRODUCT.md
 * §11): demo data, debug, an empty database password or the development profile at once.
 * More checks join as features bring their own secrets (payment keys, admin secrets).
 */
@Configuration(proxyBeanMethods = false)
@Profile("prod")
class ProductionGuard {

	@Bean
	Object productionSettingsChecked(Environment environment) {
		List<String> problems = problems(environment);
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Refusing to start in production: " + String.join("; ", problems));
		}
		return "production settings checked";
	}

	static List<String> problems(Environment environment) {
		List<String> problems = new ArrayList<>();
		if (Arrays.asList(environment.getActiveProfiles()).contains("dev")) {
			problems.add("the dev profile is active");
		}
		if (environment.getProperty("spring.flyway.locations", "").contains("demo")) {
			problems.add("demo data is enabled (spring.flyway.locations)");
		}
		if (environment.getProperty("debug", Boolean.class, false)
				|| environment.getProperty("trace", Boolean.class, false)) {
			problems.add("debug or trace is on");
		}
		if (environment.getProperty("spring.r2dbc.password", "").isBlank()) {
			problems.add("no database password (POSTGRES_PASSWORD)");
		}
		if (environment.getProperty("shop.database.create-if-missing", Boolean.class, false)) {
			problems.add("shop.database.create-if-missing is on");
		}
		return problems;
	}

}
