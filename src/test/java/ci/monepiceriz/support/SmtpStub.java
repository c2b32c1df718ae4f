package ci.monepiceriz.support;

import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * One real SMTP server per JVM (GreenMail) behind a {@link TcpProxy}, which every
 * integration test's application sends its e-mails to (see
 * {@link TestServicesInitializer}). A test cuts the proxy to play a mail server that is
 * down, and restores it. The server is shared: a test finds its own messages by their
 * subject (the order number).
 */
public final class SmtpStub {

	private static GreenMail mail;

	private static TcpProxy proxy;

	private SmtpStub() {
	}

	/** The running server, started on first use. */
	public static synchronized GreenMail mail() {
		start();
		return mail;
	}

	/** What the application connects to. */
	public static synchronized TcpProxy proxy() {
		start();
		return proxy;
	}

	private static void start() {
		if (mail == null) {
			GreenMail started = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
			started.start();
			proxy = new TcpProxy("127.0.0.1", started.getSmtp().getPort());
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				proxy.close();
				started.stop();
			}, "smtp-stub-stop"));
			mail = started;
		}
	}

	/** The application's settings that point it at this server. */
	static Map<String, Object> springProperties() {
		return Map.of("spring.mail.host", "127.0.0.1", "spring.mail.port", proxy().port(),
				"spring.mail.properties[mail.smtp.starttls.enable]", "false",
				"spring.mail.properties[mail.smtp.timeout]", "3000");
	}

}
