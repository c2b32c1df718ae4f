package ci.monepiceriz.shared;

import java.time.Clock;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The clock every module takes time from, and scheduling for periodic jobs. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SharedConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * Seeds the token generator while the context starts, before the server listens:
	 * seeding reads the entropy device, which an event loop must never wait for.
	 */
	@Bean
	SmartInitializingSingleton tokenGeneratorSeeding() {
		return Tokens::seed;
	}

}
