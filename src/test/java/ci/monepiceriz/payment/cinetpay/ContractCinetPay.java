package ci.monepiceriz.payment.cinetpay;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.slf4j.LoggerFactory;

/**
 * A WireMock server playing CinetPay with the stubs of {@code contracts/cinetpay} (see
 * its README), for the adapters' unit tests.
 */
final class ContractCinetPay {

	private ContractCinetPay() {
	}

	/** A server on a free port, not started. */
	static WireMockServer server() {
		return new WireMockServer(options().dynamicPort().usingFilesUnderDirectory("contracts/cinetpay"));
	}

	/**
	 * Starts the server, WireMock's (shaded) Jetty quieted first: it is very talkative at
	 * the unit tests' default DEBUG level.
	 */
	static void start(WireMockServer server) {
		for (String talkative : List.of("wiremock", "org.eclipse.jetty", "com.github.tomakehurst")) {
			((Logger) LoggerFactory.getLogger(talkative)).setLevel(Level.WARN);
		}
		server.start();
	}

}
