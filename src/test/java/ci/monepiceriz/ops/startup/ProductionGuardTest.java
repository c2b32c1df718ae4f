package ci.monepiceriz.ops.startup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class ProductionGuardTest {

	@Test
	void acceptsAProperProductionConfiguration() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.r2dbc.password", "s3cret")
			.withProperty("spring.flyway.locations", "classpath:db/migration");
		environment.setActiveProfiles("prod");
		assertThat(ProductionGuard.problems(environment)).isEmpty();
	}

	@Test
	void namesEveryDevelopmentSetting() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.flyway.locations", "classpath:db/migration,classpath:db/demo")
			.withProperty("debug", "true")
			.withProperty("shop.database.create-if-missing", "true");
		environment.setActiveProfiles("prod", "dev");
		assertThat(ProductionGuard.problems(environment)).hasSize(5)
			.anySatisfy(problem -> assertThat(problem).contains("demo"))
			.anySatisfy(problem -> assertThat(problem).contains("POSTGRES_PASSWORD"));
	}

}
