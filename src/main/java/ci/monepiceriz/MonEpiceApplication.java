package ci.monepiceriz;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The MonEpice&Riz commerce service: one reactive application, modules by feature. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class MonEpiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(MonEpiceApplication.class, args);
	}

}
