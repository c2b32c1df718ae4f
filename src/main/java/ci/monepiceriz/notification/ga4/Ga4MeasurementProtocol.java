package ci.monepiceriz.notification.ga4;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import ci.monepiceriz.notification.PurchaseAnalytics;
import ci.monepiceriz.notification.SendOutcome;
import ci.monepiceriz.notification.domain.Purchase;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Purchases reported to GA4 through the Measurement Protocol: {@code POST
 * {base}/mp/collect?measurement_id=…&api_secret=…} with one {@code purchase} event. One
 * request per call, never retried here; outcomes:
 * <ul>
 * <li>2xx → sent (GA4 answers 2xx even to a malformed payload: the payload's shape is
 * tested, not trusted to GA4);</li>
 * <li>no connection (refused, unknown host, connect timeout) → not sent;</li>
 * <li>429 or 5xx → not sent, worth another try; another 4xx → not sent, permanent;</li>
 * <li>no answer in time, connection lost mid-exchange → unknown.</li>
 * </ul>
 * The API secret travels in the query string: neither URLs nor bodies are logged, and
 * failures are described without them.
 */
public class Ga4MeasurementProtocol implements PurchaseAnalytics {

	private final WebClient client;

	private final Ga4Properties properties;

	private final JsonMapper json;

	public Ga4MeasurementProtocol(WebClient client, Ga4Properties properties, JsonMapper json) {
		this.client = client;
		this.properties = properties;
		this.json = json;
	}

	@Override
	public boolean configured() {
		return properties.configured();
	}

	@Override
	public Mono<SendOutcome> purchase(Purchase purchase) {
		if (!configured()) {
			return Mono.just(new SendOutcome.NotSent("GA4 not configured", true));
		}
		byte[] body = json.writeValueAsBytes(payload(purchase));
		return client.post()
			.uri(uri -> uri.path("/mp/collect")
				.queryParam("measurement_id", properties.measurementId())
				.queryParam("api_secret", properties.apiSecret())
				.build())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono(
					response -> response.releaseBody().then(Mono.fromSupplier(() -> answer(response.statusCode()))))
			.timeout(backstop())
			.onErrorResume(error -> Mono.just(failure(error)));
	}

	/** The Measurement Protocol body of one purchase event. */
	static Map<String, Object> payload(Purchase purchase) {
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("transaction_id", purchase.transactionId());
		params.put("value", purchase.value());
		params.put("currency", purchase.currency());
		params.put("shipping", purchase.shipping());
		params.put("items", purchase.items().stream().map(Ga4MeasurementProtocol::item).toList());
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("name", "purchase");
		event.put("params", params);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("client_id", purchase.clientId());
		body.put("events", List.of(event));
		return body;
	}

	private static Map<String, Object> item(Purchase.Item item) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("item_id", item.id());
		fields.put("item_name", item.name());
		if (item.variant() != null) {
			fields.put("item_variant", item.variant());
		}
		fields.put("price", item.price());
		fields.put("quantity", item.quantity());
		return fields;
	}

	private static SendOutcome answer(HttpStatusCode status) {
		if (status.is2xxSuccessful()) {
			return new SendOutcome.Sent();
		}
		boolean transientFailure = status.value() == 429 || status.is5xxServerError();
		return new SendOutcome.NotSent("GA4 answered HTTP " + status.value(), !transientFailure);
	}

	private static SendOutcome failure(Throwable error) {
		if (error instanceof WebClientRequestException request && neverConnected(request.getCause())) {
			return new SendOutcome.NotSent("no connection to GA4: " + name(request.getCause()), false);
		}
		if (error instanceof TimeoutException) {
			return new SendOutcome.Unknown("no answer from GA4 in time");
		}
		return new SendOutcome.Unknown(
				"GA4 exchange failed: " + name(error.getCause() == null ? error : error.getCause()));
	}

	private static boolean neverConnected(Throwable cause) {
		return cause instanceof ConnectException || cause instanceof UnknownHostException
				|| cause instanceof io.netty.channel.ConnectTimeoutException;
	}

	/** A failure's type only: messages may carry the URL, and so the API secret. */
	private static String name(Throwable error) {
		return error == null ? "unknown" : error.getClass().getSimpleName();
	}

	/** A backstop over the connector's timeouts. */
	private Duration backstop() {
		return properties.connectTimeout().plus(properties.responseTimeout()).plusMillis(500);
	}

}
