package ci.monepiceriz.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * One WireMock server per JVM playing GA4's Measurement Protocol with the stub of
 * {@code contracts/ga4}, which every integration test's application reports purchases to
 * (see {@link TestServicesInitializer}). The server is shared: a test finds its own
 * requests by their transaction id (the order number).
 */
public final class Ga4Stub {

	public static final String MEASUREMENT_ID = "G-IT12345";

	public static final String API_SECRET = "it-ga4-secret";

	private static WireMockServer server;

	private Ga4Stub() {
	}

	/** The running server, started on first use. */
	public static synchronized WireMockServer server() {
		if (server == null) {
			WireMockServer started = new WireMockServer(
					options().dynamicPort().usingFilesUnderDirectory("contracts/ga4"));
			started.start();
			Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "ga4-stub-stop"));
			server = started;
		}
		return server;
	}

	/** The application's settings that point it at this server. */
	static Map<String, Object> springProperties() {
		return Map.of("shop.notification.ga4.base-url", server().baseUrl(), "shop.notification.ga4.measurement-id",
				MEASUREMENT_ID, "shop.notification.ga4.api-secret", API_SECRET,
				"shop.notification.ga4.response-timeout", "1s");
	}

}
