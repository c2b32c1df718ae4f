package ci.monepiceriz;

import org.springframework.boot.SpringApplication;

import ci.monepiceriz.support.TestServices;

/**
 * README command 1 ({@code ./mvnw spring-boot:test-run}): the service with the demo
 * catalog, on local PostgreSQL and Redis (or those given by environment, or containers
 * where Docker exists) and a Kafka broker: {@code KAFKA_BOOTSTRAP_SERVERS}, else one
 * started in this JVM. The database is created if missing and migrated.
 */
public final class TestMonEpiceApplication {

	private TestMonEpiceApplication() {
	}

	public static void main(String[] args) {
		TestServices.springProperties(System.getenv().getOrDefault("POSTGRES_DB", "monepice"), 0)
			.forEach((key, value) -> System.setProperty(key, String.valueOf(value)));
		SpringApplication.from(MonEpiceApplication::main).withAdditionalProfiles("dev").run(args);
	}

}
