package ci.monepiceriz.notification.mail;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import ci.monepiceriz.notification.ConfirmationMails;

/**
 * The confirmation e-mails' adapter, on the mail sender Spring Boot configures when
 * {@code spring.mail.host} is set (without it, e-mails are not configured and their
 * notices are SKIPPED).
 */
@Configuration(proxyBeanMethods = false)
class MailConfiguration {

	@Bean
	ConfirmationMails confirmationMails(ObjectProvider<JavaMailSenderImpl> sender, EmailProperties properties,
			Clock clock) {
		return new SmtpConfirmationMails(sender.getIfAvailable(), properties, clock);
	}

}
