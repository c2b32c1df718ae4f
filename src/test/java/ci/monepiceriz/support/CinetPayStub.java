package ci.monepiceriz.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * One WireMock server per JVM playing CinetPay (both API generations: legacy
 * {@code /v2/...} and new {@code /v1/...}) with the stubs of {@code contracts/cinetpay}
 * (see its README), which every integration test's application calls instead of CinetPay
 * (see {@link TestServicesInitializer}). A test adding stubs of its own makes them
 * specific to its data (an order number in the metadata) and removes them afterwards: the
 * server is shared.
 */
public final class CinetPayStub {

	public static final String API_KEY = "it-apikey";

	public static final String SITE_ID = "it-site-id";

	public static final String API_PASSWORD = "it-api-password";

	/** The new API's test credentials (a sandbox key: never accepted in production). */
	public static final String NEW_API_KEY = "sk_test_it-new-api-key";

	public static final String NEW_API_PASSWORD = "it-new-api-password";

	private static WireMockServer server;

	private CinetPayStub() {
	}

	/** The running server, started on first use. */
	public static synchronized WireMockServer server() {
		if (server == null) {
			WireMockServer started = new WireMockServer(
					options().dynamicPort().usingFilesUnderDirectory("contracts/cinetpay"));
			started.start();
			Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "cinetpay-stub-stop"));
			warmUp(started);
			server = started;
		}
		return server;
	}

	/**
	 * WireMock's first matches (its JSONPath matchers loading) can take more than the
	 * applications' 1 s response timeout on a busy machine: one request of each kind is
	 * sent first, and then forgotten.
	 */
	private static void warmUp(WireMockServer started) {
		HttpClient client = HttpClient.newHttpClient();
		String[][] requests = { { "/v2/payment", "{\"transaction_id\":\"WARM-UP\",\"currency\":\"XOF\"}" },
				{ "/v2/payment/check", "{\"transaction_id\":\"WARM-UP\"}" },
				{ "/v1/oauth/login", "{\"api_key\":\"warm-up\",\"api_password\":\"warm-up\"}" },
				{ "/v1/payment", "{\"merchant_transaction_id\":\"WARM-UP\",\"currency\":\"XOF\"}" } };
		try {
			for (String[] request : requests) {
				client.send(HttpRequest.newBuilder(URI.create(started.baseUrl() + request[0]))
					.header("Content-Type", "application/json")
					.header("Authorization", "Bearer warm-up")
					.POST(HttpRequest.BodyPublishers.ofString(request[1]))
					.build(), HttpResponse.BodyHandlers.discarding());
			}
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException("the CinetPay stub does not answer", ex);
		}
		started.resetRequests();
	}

	/** The application's settings that point it at this server. */
	static Map<String, Object> springProperties() {
		return Map.of("shop.payment.cinetpay.base-url", server().baseUrl(), "shop.payment.cinetpay.api-key", API_KEY,
				"shop.payment.cinetpay.site-id", SITE_ID, "shop.payment.cinetpay.secret-key", "it-secret-key",
				"shop.payment.cinetpay.response-timeout", "1s", "shop.payment.cinetpay.transfer.base-url",
				server().baseUrl() + "/v1", "shop.payment.cinetpay.transfer.api-password", API_PASSWORD,
				"shop.payment.cinetpay.new-api.base-url", server().baseUrl(), "shop.payment.cinetpay.new-api.api-key",
				NEW_API_KEY, "shop.payment.cinetpay.new-api.api-password", NEW_API_PASSWORD);
	}

}
