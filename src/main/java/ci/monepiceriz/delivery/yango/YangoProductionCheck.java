package ci.monepiceriz.delivery.yango;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Refuses to start under the {@code prod} profile with Yango enabled and settings that
 * cannot quote real deliveries: no token, a test or local host, a base URL that is not
 * https, or no store contact (booking needs it). The message names every problem, never
 * the token's value. With Yango disabled there is nothing to check: the flat fee quotes.
 */
@Configuration(proxyBeanMethods = false)
@Profile("prod")
class YangoProductionCheck {

	@Bean
	Object yangoSettingsChecked(YangoProperties properties) {
		List<String> problems = problems(properties);
		if (!problems.isEmpty()) {
			throw new IllegalStateException(
					"Refusing to start in production with these Yango settings: " + String.join("; ", problems));
		}
		return "Yango settings checked";
	}

	static List<String> problems(YangoProperties properties) {
		List<String> problems = new ArrayList<>();
		if (!properties.enabled()) {
			return problems;
		}
		if (properties.token().isEmpty()) {
			problems.add("no token (YANGO_TOKEN) while shop.delivery.yango.enabled=true");
		}
		URI uri = URI.create(properties.baseUrl());
		String host = uri.getHost().toLowerCase(Locale.ROOT);
		if (!"https".equals(uri.getScheme())) {
			problems.add("shop.delivery.yango.base-url must be https: " + properties.baseUrl());
		}
		if (host.contains(".tst.") || host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")) {
			problems.add("shop.delivery.yango.base-url is a test or local host: " + properties.baseUrl());
		}
		YangoProperties.Store store = properties.store();
		if (store.contactName().isEmpty() || store.contactPhone().isEmpty() || store.contactEmail().isEmpty()) {
			problems.add("the store contact is incomplete (shop.delivery.yango.store.contact-name, -phone, -email)");
		}
		return problems;
	}

}
