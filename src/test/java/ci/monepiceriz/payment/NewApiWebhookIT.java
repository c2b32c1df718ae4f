package ci.monepiceriz.payment;

import static ci.monepiceriz.payment.PaymentFixtures.newApiStatus;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import ci.monepiceriz.payment.PaymentFixtures.Answer;
import ci.monepiceriz.payment.PaymentFixtures.Paying;
import ci.monepiceriz.payment.domain.XToken;
import ci.monepiceriz.support.CinetPayStub;
import ci.monepiceriz.support.IntegrationTest;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application configured for CinetPay's new API
 * ({@code shop.payment.cinetpay.api=new}) on the real database, with WireMock playing the
 * new API: starting a payment (Bearer token, the notify_token kept only as a digest) and
 * the webhook (the same {@code POST /api/webhooks/cinetpay}, JSON or form, verified by
 * the notification's {@code notify_token}, the status taken from the status call only).
 */
@IntegrationTest
@TestPropertySource(properties = "shop.payment.cinetpay.api=new")
class NewApiWebhookIT {

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@LocalServerPort
	int port;

	WebClient client;

	final WireMockServer cinetPay = CinetPayStub.server();

	PaymentFixtures fixtures;

	@BeforeEach
	void setUp() {
		client = WebClient.builder().baseUrl("http://127.0.0.1:" + port).build();
		fixtures = new PaymentFixtures(db, json, client, cinetPay, "T-NW-");
	}

	@AfterEach
	void removeStubs() {
		fixtures.removeStubs();
	}

	@Test
	void startingAPaymentLogsInSendsTheBearerAndKeepsOnlyTheNotifyTokensDigest() {
		PaymentFixtures.Placed order = fixtures.placeOrder(5000);
		fixtures.createdWithNotifyToken(order.number(), "nt-secret-" + order.number());
		Paying paying = start(order);

		LoggedRequest created = cinetPay
			.findAll(postRequestedFor(urlPathEqualTo("/v1/payment"))
				.withRequestBody(matchingJsonPath("$.merchant_transaction_id", equalTo(paying.transactionId()))))
			.get(0);
		assertThat(created.getHeader("Authorization")).isEqualTo("Bearer it-access-token");
		assertThat(created.getBodyAsString()).contains("\"amount\":5000", "/api/webhooks/cinetpay")
			.doesNotContain(CinetPayStub.NEW_API_KEY, CinetPayStub.NEW_API_PASSWORD);
		assertThat(fixtures.count("""
				SELECT count(*) FROM payment_attempt WHERE order_number = :number AND api = 'new' AND status = 'OPEN'
				   AND notify_token_hash = '%s'
				""".formatted(sha256("nt-secret-" + order.number())), order.number())).isEqualTo(1);
		assertThat(fixtures.snapshot(order.number())).doesNotContain("nt-secret-");
	}

	@Test
	void aNotificationWithItsNotifyTokenSettlesOnceWhetherJsonOrForm() {
		Paying paying = payingWithToken("nt-right");
		fixtures.statusSays(paying.transactionId(), newApiStatus(paying.transactionId(), "SUCCESS", 5000, "XOF"));

		assertThat(notifyJson(paying, "nt-right", "SUCCESS").status()).isEqualTo(200);
		assertThat(notifyJson(paying, "nt-right", "SUCCESS").status()).isEqualTo(200);
		assertThat(notifyForm(paying, "nt-right").status()).isEqualTo(200);

		fixtures.assertPaidOnce(paying);
	}

	@Test
	void aWrongMissingOrOtherOrdersNotifyTokenIsA401AndChangesNothing() {
		Paying paying = payingWithToken("nt-mine");
		Paying other = payingWithToken("nt-theirs");
		fixtures.statusSays(paying.transactionId(), newApiStatus(paying.transactionId(), "SUCCESS", 5000, "XOF"));
		String before = fixtures.snapshot(paying.number());
		Map<String, String> legacy = Map.of("cpm_site_id", CinetPayStub.SITE_ID, "cpm_trans_id",
				paying.transactionId());

		List<Answer> answers = List.of(notifyJson(paying, "nt-wrong", "SUCCESS"), notifyJson(paying, null, "SUCCESS"),
				notifyJson(paying, "nt-theirs", "SUCCESS"), notifyJson(paying, sha256("nt-mine"), "SUCCESS"),
				notifyForm(paying, ""),
				// a legacy notification, correctly signed: not how this generation
				// verifies
				fixtures.send(form(legacy, XToken.of("it-secret-key", legacy))),
				// an unknown transaction cannot be verified
				notifyJson(new Paying(paying.number(), "MER-20000101-0001-NOPE"), "nt-mine", "SUCCESS"));

		assertThat(answers).allSatisfy(answer -> {
			assertThat(answer.status()).isEqualTo(401);
			assertThat(json.readTree(answer.body()).get("code").asString()).isEqualTo("webhook-signature-invalid");
		});
		assertThat(fixtures.snapshot(paying.number())).isEqualTo(before);
		assertThat(fixtures.attemptStatus(other)).isEqualTo("OPEN");
		assertThat(cinetPay
			.countRequestsMatching(com.github.tomakehurst.wiremock.client.WireMock
				.getRequestedFor(urlPathEqualTo("/v1/payment/" + paying.transactionId()))
				.build())
			.getCount()).as("no status asked for an unverified notification").isZero();
	}

	@Test
	void theStatusInTheNotificationIsIgnored() {
		Paying paying = payingWithToken("nt-pending");
		fixtures.statusSays(paying.transactionId(), newApiStatus(paying.transactionId(), "PENDING", 5000, "XOF"));

		assertThat(notifyJson(paying, "nt-pending", "SUCCESS").status()).isEqualTo(200);

		fixtures.assertUnpaid(paying);
		assertThat(fixtures.attemptStatus(paying)).isEqualTo("OPEN");

		fixtures.removeStubs();
		fixtures.statusSays(paying.transactionId(), newApiStatus(paying.transactionId(), "FAILED", 5000, "XOF"));
		assertThat(notifyJson(paying, "nt-pending", "SUCCESS").status()).isEqualTo(200);
		fixtures.assertUnpaid(paying);
		assertThat(fixtures.attemptStatus(paying)).isEqualTo("FAILED");
	}

	@Test
	void aSuccessForAnotherAmountIsNotPaidAndFlagged() {
		Paying paying = payingWithToken("nt-amount");
		fixtures.statusSays(paying.transactionId(), newApiStatus(paying.transactionId(), "SUCCESS", 100, "XOF"));

		assertThat(notifyJson(paying, "nt-amount", "SUCCESS").status()).isEqualTo(200);

		fixtures.assertUnpaid(paying);
		assertThat(fixtures.count("SELECT count(*) FROM payment_attempt WHERE order_number = :number"
				+ " AND mismatch LIKE 'ACCEPTED % 100 XOF, expected % 5000 XOF'", paying.number()))
			.isEqualTo(1);
	}

	@Test
	void theBearerTokenIsCachedAcrossCalls() {
		Paying first = payingWithToken("nt-cache-1");
		long logins = logins();
		assertThat(logins).isPositive();

		Paying second = payingWithToken("nt-cache-2");
		fixtures.statusSays(second.transactionId(), newApiStatus(second.transactionId(), "PENDING", 5000, "XOF"));
		notifyJson(second, "nt-cache-2", "PENDING");
		fixtures.statusSays(first.transactionId(), newApiStatus(first.transactionId(), "PENDING", 5000, "XOF"));
		notifyJson(first, "nt-cache-1", "PENDING");

		assertThat(logins()).isEqualTo(logins);
	}

	// --- helpers

	private Paying payingWithToken(String notifyToken) {
		PaymentFixtures.Placed order = fixtures.placeOrder(5000);
		fixtures.createdWithNotifyToken(order.number(), notifyToken);
		return start(order);
	}

	private Paying start(PaymentFixtures.Placed order) {
		Answer started = fixtures.send(client.post()
			.uri("/api/orders/{number}/payments", order.number())
			.header("Idempotency-Key", PaymentFixtures.newKey())
			.header("Authorization", "Bearer " + order.accessToken()));
		assertThat(started.status()).as(started.body()).isEqualTo(201);
		return new Paying(order.number(), json.readTree(started.body()).get("transactionId").asString());
	}

	private long logins() {
		return cinetPay
			.findAll(postRequestedFor(urlPathEqualTo("/v1/oauth/login"))
				.withRequestBody(matchingJsonPath("$.api_key", equalTo(CinetPayStub.NEW_API_KEY))))
			.size();
	}

	/** The new API's notification as JSON; its status is never believed. */
	private Answer notifyJson(Paying paying, String notifyToken, String status) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("merchant_transaction_id", paying.transactionId());
		body.put("transaction_id", "CP-1");
		body.put("status", status);
		body.put("amount", 5000);
		if (notifyToken != null) {
			body.put("notify_token", notifyToken);
		}
		return fixtures.send(client.post()
			.uri("/api/webhooks/cinetpay")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json.writeValueAsBytes(body)));
	}

	private Answer notifyForm(Paying paying, String notifyToken) {
		return fixtures.send(form(Map.of("merchant_transaction_id", paying.transactionId(), "transaction_id", "CP-1",
				"notify_token", notifyToken, "status", "SUCCESS"), null));
	}

	private WebClient.RequestHeadersSpec<?> form(Map<String, String> fields, String token) {
		MultiValueMap<String, String> body = new LinkedMultiValueMap<>();
		fields.forEach(body::add);
		WebClient.RequestBodySpec request = client.post()
			.uri("/api/webhooks/cinetpay")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED);
		if (token != null) {
			request = request.header("x-token", token);
		}
		return request.body(BodyInserters.fromFormData(body));
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

}
