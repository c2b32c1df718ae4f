package ci.monepiceriz.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * One WireMock server per JVM playing Yango with the stubs of {@code contracts/yango}
 * (see its README), wired into every integration test's application by
 * {@link TestServicesInitializer}. Yango stays disabled unless a test enables it
 * ({@code shop.delivery.yango.enabled=true}): the other tests keep the flat fee. Stubs
 * are picked by the destination's longitude; a test adding stubs of its own removes them
 * afterwards: the server is shared.
 */
public final class YangoStub {

	public static final String TOKEN = "it-yango-token";

	/** The test store: {@code [longitude, latitude]} = {@code [-4.01, 5.3]}. */
	public static final double STORE_LATITUDE = 5.3;

	public static final double STORE_LONGITUDE = -4.01;

	private static WireMockServer server;

	private YangoStub() {
	}

	/** The running server, started on first use. */
	public static synchronized WireMockServer server() {
		if (server == null) {
			WireMockServer started = new WireMockServer(
					options().dynamicPort().usingFilesUnderDirectory("contracts/yango"));
			started.start();
			Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "yango-stub-stop"));
			server = started;
		}
		return server;
	}

	/** The application's settings that point it at this server (Yango still disabled). */
	static Map<String, Object> springProperties() {
		return Map.of("shop.delivery.yango.base-url", server().baseUrl(), "shop.delivery.yango.token", TOKEN,
				"shop.delivery.yango.store.address", "Boutique MonEpice&Riz, Treichville, Abidjan",
				"shop.delivery.yango.store.latitude", STORE_LATITUDE, "shop.delivery.yango.store.longitude",
				STORE_LONGITUDE, "shop.delivery.yango.store.contact-name", "Boutique MonEpice&Riz",
				"shop.delivery.yango.store.contact-phone", "+2252721000000", "shop.delivery.yango.store.contact-email",
				"boutique@monepiceriz.ci", "shop.delivery.yango.response-timeout", "1s");
	}

}
