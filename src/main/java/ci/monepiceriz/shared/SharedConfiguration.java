package ci.monepiceriz.shared;

import java.time.Clock;

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

}
