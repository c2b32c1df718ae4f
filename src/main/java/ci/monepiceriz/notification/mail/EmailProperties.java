package ci.monepiceriz.notification.mail;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * {@code shop.notification.email.*}. The SMTP server itself is Spring Boot's
 * {@code spring.mail.*} (host, port, username, password, timeouts); without
 * {@code spring.mail.host} no e-mail is sent and e-mail notices are SKIPPED.
 *
 * @param enabled send confirmation e-mails at all (off: notices SKIPPED)
 * @param from the sender, e.g. {@code MonEpice&Riz <commandes@monepiceriz.ci>}
 */
@ConfigurationProperties("shop.notification.email")
public record EmailProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("MonEpice&Riz <commandes@monepiceriz.ci>") String from) {

	public EmailProperties {
		try {
			new InternetAddress(from, true);
		}
		catch (AddressException bad) {
			throw new IllegalArgumentException("shop.notification.email.from is not an e-mail address: " + from);
		}
	}

}
