package ci.monepiceriz.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CinetPay's webhook under a storm of notifications (issue 5): many orders paid at once, each
 * payment notified several times, concurrently and out of order, as CinetPay does (a pending
 * notification, then the final one, and retries).
 *
 * <p>Two phases, one after the other ({@code andThen}):
 *
 * <ol>
 *   <li>preparation: {@code prepareConcurrency} users make {@code orders + warmupOrders} paying
 *       orders through the API, as a shopper would: {@code POST /api/carts}, {@code
 *       linesPerCart} lines of 1 unit from {@code skuCodes}, {@code POST /api/orders} (pickup),
 *       {@code POST /api/orders/{number}/payments} (the service calls the CinetPay stub's
 *       initialise; its 201 gives the attempt's {@code transactionId} and charged {@code
 *       amount}). Then each of them sends the notifications of its share of the {@code
 *       warmupOrders} (not in the figures: {@code prepare: webhook}), so that Gatling's JIT has
 *       seen the webhook request before the storm;
 *   <li>the storm, after {@code settleSeconds}: {@code copies} notifications per attempt ({@code
 *       pendingCopies} of them with a pending body, {@code cpm_error_message=WAITING_FOR_CUSTOMER},
 *       the others with the final one), {@code application/x-www-form-urlencoded} with the 16
 *       fields CinetPay signs and a valid {@code x-token} (HMAC-SHA256 with {@code secret}, the
 *       service's {@code shop.payment.cinetpay.secret-key}). The attempts are shuffled, then
 *       taken in groups of about {@code spread} notifications whose order is shuffled again: the
 *       copies of one payment arrive within {@code spread} notifications of each other (tens of
 *       milliseconds at 1,000/s), so several are in flight at once, the final one often before
 *       the pending one. Open model: {@code rate} notifications per second after a {@code ramp},
 *       for {@code duration}. Each must be answered 200 ({@code webhook}); a 503 (CinetPay's check
 *       unavailable), a 401 or a timeout is a failure.
 * </ol>
 *
 * <p>The service does not believe the bodies: it asks CinetPay's check endpoint, here {@link
 * CinetPayStub}, which answers pending to the first {@code --pending-checks} checks of a
 * transaction and ACCEPTED with the amount it was initialised with afterwards; so {@code copies}
 * must exceed the stub's pending checks for every order to be paid.
 *
 * <p>With {@code -DattemptsFile=path} the attempts' transaction ids are written there (one per
 * line, {@code storm} or {@code warmup} then the id) before the storm, for {@code
 * bench/webhook-figures.sh} to check in PostgreSQL that each order was settled exactly once. At
 * the end: {@code >>> storm target=…/s ok=… ko=… window=…s achieved=…/s from=… to=…}.
 */
public class WebhookStormSimulation extends Simulation {

  static final String WEBHOOK = "webhook";
  static final String PREPARE_CART = "prepare: create cart";
  static final String PREPARE_LINE = "prepare: put line";
  static final String PREPARE_ORDER = "prepare: place order";
  static final String PREPARE_PAYMENT = "prepare: start payment";
  static final String PREPARE_WEBHOOK = "prepare: webhook";
  static final String WEBHOOK_PATH = "/api/webhooks/cinetpay";

  final String baseUrl = LoadConfig.baseUrl();
  final double rate = LoadConfig.decimal("rate", 1000.0);
  final Duration ramp = LoadConfig.seconds("ramp", 10);
  final int copies = Math.max(1, LoadConfig.integer("copies", 4));
  final int pendingCopies = Math.max(0, Math.min(copies - 1, LoadConfig.integer("pendingCopies", 1)));
  final int spread = Math.max(copies, LoadConfig.integer("spread", 64));
  final String secret = LoadConfig.string("secret", "storm-secret");
  final String siteId = LoadConfig.string("siteId", "storm-site");
  final List<String> skuCodes = List.of(LoadConfig.string("skuCodes", "").split("\\s*,\\s*")).stream()
      .filter(code -> !code.isBlank())
      .toList();
  final int linesPerCart = Math.max(1, LoadConfig.integer("linesPerCart", 1));
  final int prepareConcurrency = Math.max(1, LoadConfig.integer("prepareConcurrency", 16));
  final int warmupOrders = Math.max(0, LoadConfig.integer("warmupOrders", 200));
  final Duration settle = LoadConfig.seconds("settleSeconds", 5);
  final int requestTimeoutMs = LoadConfig.integer("requestTimeoutMs", 10_000);
  final int p99Ms = LoadConfig.integer("p99Ms", 100);
  final double maxFailedPct = LoadConfig.decimal("maxFailedPct", 0.0);
  final String attemptsFile = LoadConfig.string("attemptsFile", "");
  final String stubUrl = LoadConfig.string("stubUrl", "");

  /** The ramp's area: notifications sent while ramping from (at most) 1/s to {@code rate}. */
  final double rampNotifications = (Math.min(1.0, rate) + rate) / 2 * ramp.toSeconds();

  /** Orders whose payment is notified in the storm: given, or what the rate and duration need. */
  final int orders;

  /** The plateau: given, or what {@code orders} notifications take at {@code rate}. */
  final Duration duration;

  {
    int givenOrders = LoadConfig.integer("orders", 0);
    orders = givenOrders > 0 ? givenOrders
        : (int) Math.ceil((rampNotifications + rate * LoadConfig.seconds("duration", 20).toSeconds()) / copies);
    // long enough for every copy of every order, plus one attempt's worth against rounding (the
    // feeder then starts again from the first notification: a harmless extra copy)
    double plateau = ((orders + 1) * (double) copies - rampNotifications) / rate;
    duration = Duration.ofMillis(Math.max(1000, Math.round(plateau * 1000)));
    if (skuCodes.isEmpty()) {
      throw new IllegalArgumentException("-DskuCodes=A,B,… is needed: UNIT SKUs with plenty of stock (the bench"
          + " script raises the stock of those it passes)");
    }
  }

  /** A payment attempt made by the preparation, as our API answered it. */
  record Attempt(String orderNumber, String transactionId, long amount) {}

  final ConcurrentLinkedQueue<Attempt> stormAttempts = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Attempt> warmupAttempts = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Attempt> warmupMade = new ConcurrentLinkedQueue<>();
  final AtomicLong notMade = new AtomicLong();
  final AtomicInteger made = new AtomicInteger();
  final PlacementMeter meter = new PlacementMeter("storm");
  /** The same, for the notifications sent after the ramp only: the rate held at the plateau. */
  final PlacementMeter plateauMeter = new PlacementMeter("storm-plateau");
  final AtomicLong stormStartNanos = new AtomicLong(Long.MAX_VALUE);

  /** Attempts to make: each preparing user takes the next number until all are taken. */
  final AtomicInteger tickets = new AtomicInteger();

  int warmupPerPreparer() {
    return (warmupOrders + prepareConcurrency - 1) / prepareConcurrency;
  }

  final HttpProtocolBuilder httpProtocol =
      http.baseUrl(baseUrl)
          .disableWarmUp()
          .acceptLanguageHeader("fr-CI,fr;q=0.9")
          .userAgentHeader("MonEpiceRiz-LoadTest/Gatling (webhook-storm)")
          .disableCaching();

  // --- the notifications ---------------------------------------------------------------------

  static final DateTimeFormatter CINETPAY_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  /** The form fields CinetPay signs, in the order of the x-token (cinetpay.md §1.4). */
  static final List<String> SIGNED_FIELDS = List.of("cpm_site_id", "cpm_trans_id", "cpm_trans_date", "cpm_amount",
      "cpm_currency", "signature", "payment_method", "cel_phone_num", "cpm_phone_prefixe", "cpm_language",
      "cpm_version", "cpm_payment_config", "cpm_page_action", "cpm_custom", "cpm_designation", "cpm_error_message");

  /** One notification as sent: the form-encoded body and its x-token. */
  record Notification(String transactionId, String form, String token) {
    Map<String, Object> asSession() {
      return Map.of("form", form, "xToken", token, "transactionId", transactionId);
    }
  }

  /** The {@code copies} notifications of one attempt, pending ones first (as CinetPay sends them). */
  List<Notification> notificationsOf(Attempt attempt) {
    List<Notification> notifications = new ArrayList<>(copies);
    LocalDateTime paidAt = LocalDateTime.now(ZoneOffset.UTC);
    for (int copy = 0; copy < copies; copy++) {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("cpm_site_id", siteId);
      form.put("cpm_trans_id", attempt.transactionId());
      form.put("cpm_trans_date", paidAt.plusSeconds(copy).format(CINETPAY_DATE));
      form.put("cpm_amount", Long.toString(attempt.amount()));
      form.put("cpm_currency", "XOF");
      form.put("signature", UUID.randomUUID().toString().replace("-", ""));
      form.put("payment_method", "OM");
      form.put("cel_phone_num", "0707" + String.format(Locale.ROOT, "%06d", ThreadLocalRandom.current().nextInt(1_000_000)));
      form.put("cpm_phone_prefixe", "225");
      form.put("cpm_language", "fr");
      form.put("cpm_version", "V4");
      form.put("cpm_payment_config", "Single");
      form.put("cpm_page_action", "Payment");
      form.put("cpm_custom", attempt.orderNumber());
      form.put("cpm_designation", "Commande " + attempt.orderNumber() + " MonEpice Riz");
      form.put("cpm_error_message", copy < pendingCopies ? "WAITING_FOR_CUSTOMER" : "SUCCES");
      notifications.add(new Notification(attempt.transactionId(), formEncoded(form), xToken(secret, form)));
    }
    return notifications;
  }

  static String formEncoded(Map<String, String> form) {
    StringBuilder body = new StringBuilder();
    form.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&")
        .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
        .append('=')
        .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return body.toString();
  }

  /** Lowercase-hex HMAC-SHA256, keyed by the secret key, of the signed fields concatenated. */
  static String xToken(String secretKey, Map<String, String> form) {
    StringBuilder signed = new StringBuilder();
    for (String field : SIGNED_FIELDS) {
      signed.append(form.getOrDefault(field, ""));
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(signed.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /**
   * The storm's order of arrival: the attempts shuffled, taken in groups of about {@code spread}
   * notifications whose order is shuffled again. A copy of a payment thus comes at most {@code
   * spread} notifications after another (concurrent at high rates), in any order.
   */
  List<Notification> stormOrder(List<Attempt> attempts) {
    List<Attempt> shuffled = new ArrayList<>(attempts);
    Collections.shuffle(shuffled, ThreadLocalRandom.current());
    int attemptsPerGroup = Math.max(1, spread / copies);
    List<Notification> storm = new ArrayList<>(shuffled.size() * copies);
    for (int from = 0; from < shuffled.size(); from += attemptsPerGroup) {
      List<Notification> group = new ArrayList<>();
      for (Attempt attempt : shuffled.subList(from, Math.min(shuffled.size(), from + attemptsPerGroup))) {
        group.addAll(notificationsOf(attempt));
      }
      Collections.shuffle(group, ThreadLocalRandom.current());
      storm.addAll(group);
    }
    return storm;
  }

  /**
   * Hands each storm user one notification, built on first use (after the preparation). Past the
   * last one (the injection's rounding) it starts again from the first: one more copy of a
   * notification already sent, which changes nothing.
   */
  final Iterator<Map<String, Object>> notificationFeeder =
      new Iterator<>() {
        private List<Notification> storm;
        private int next;

        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public synchronized Map<String, Object> next() {
          if (storm == null) {
            storm = stormOrder(List.copyOf(stormAttempts));
            if (storm.isEmpty()) {
              throw new IllegalStateException("no payment attempt was prepared (" + notMade.get()
                  + " could not be made, see the 'prepare:' requests)");
            }
          }
          Notification notification = storm.get(next++ % storm.size());
          return notification.asSession();
        }
      };

  HttpRequestActionBuilder webhook(String name) {
    return http(name)
        .post(WEBHOOK_PATH)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("x-token", session -> session.getString("xToken"))
        .body(StringBody(session -> session.getString("form")))
        .requestTimeout(Duration.ofMillis(requestTimeoutMs))
        .check(status().is(200));
  }

  // --- the preparation -----------------------------------------------------------------------

  List<String> lineCodes() {
    List<String> shuffled = new ArrayList<>(skuCodes);
    Collections.shuffle(shuffled, ThreadLocalRandom.current());
    return List.copyOf(shuffled.subList(0, Math.min(linesPerCart, shuffled.size())));
  }

  /** One paying order: cart, lines, order, payment; its attempt queued (warm-up ones first). */
  final ChainBuilder makeAttempt =
      exec(session -> session.markAsSucceeded()
              .removeAll("cartToken", "subtotal", "number", "accessToken", "transactionId", "amount")
              .set("lineCodes", lineCodes()))
          .exec(http(PREPARE_CART)
              .post("/api/carts")
              .header("Accept", "application/json")
              .check(status().is(201), header("Location").transform(Shoppers::lastSegment).saveAs("cartToken")))
          .doIf(session -> session.contains("cartToken"))
          .then(foreach(session -> session.getList("lineCodes"), "lineCode")
              .on(exec(http(PREPARE_LINE)
                  .put("/api/carts/#{cartToken}/lines/#{lineCode}")
                  .header("Accept", "application/json")
                  .body(StringBody("{\"quantity\": 1}"))
                  .asJson()
                  .check(status().is(200), jsonPath("$.subtotal").ofLong().saveAs("subtotal")))))
          .doIf(session -> !session.isFailed() && session.contains("subtotal"))
          .then(exec(session -> session
                  .set("idempotencyKey", UUID.randomUUID().toString())
                  .set("orderBody", Shoppers.orderBody(session.getString("cartToken"), session.getLong("subtotal"), 0)))
              .exec(http(PREPARE_ORDER)
                  .post("/api/orders")
                  .header("Accept", "application/json")
                  .header("Idempotency-Key", "#{idempotencyKey}")
                  .body(StringBody("#{orderBody}"))
                  .asJson()
                  .check(status().is(201), jsonPath("$.number").saveAs("number"),
                      jsonPath("$.accessToken").saveAs("accessToken"))))
          .doIf(session -> !session.isFailed() && session.contains("accessToken"))
          .then(exec(http(PREPARE_PAYMENT)
              .post("/api/orders/#{number}/payments")
              .header("Accept", "application/json")
              .header("Authorization", "Bearer #{accessToken}")
              .header("Idempotency-Key", session -> UUID.randomUUID().toString())
              .check(status().is(201), jsonPath("$.transactionId").saveAs("transactionId"),
                  jsonPath("$.amount").ofLong().saveAs("amount"))))
          .exec(session -> {
            if (session.isFailed() || !session.contains("transactionId")) {
              notMade.incrementAndGet();
              return session;
            }
            Attempt attempt = new Attempt(session.getString("number"), session.getString("transactionId"),
                session.getLong("amount"));
            if (made.getAndIncrement() < warmupOrders) {
              warmupMade.add(attempt);
              warmupAttempts.add(attempt);
            } else {
              stormAttempts.add(attempt);
            }
            return session;
          });

  final ScenarioBuilder prepare =
      scenario("Payment preparation")
          .asLongAs(session -> tickets.getAndIncrement() < orders + warmupOrders)
          .on(makeAttempt)
          .exec(session -> session.markAsSucceeded())
          .repeat(session -> warmupPerPreparer())
          .on(exec(session -> {
                Attempt attempt = warmupAttempts.poll();
                if (attempt == null) {
                  return session.set("warmup", List.of());
                }
                List<Map<String, Object>> notifications = new ArrayList<>();
                for (Notification notification : stormOrder(List.of(attempt))) {
                  notifications.add(notification.asSession());
                }
                return session.set("warmup", notifications);
              })
              .foreach(session -> session.getList("warmup"), "notification")
              .on(exec(session -> session.setAll(session.<Map<String, Object>>get("notification")))
                  .exec(webhook(PREPARE_WEBHOOK))));

  // --- the storm -----------------------------------------------------------------------------

  final ScenarioBuilder storm =
      scenario("Webhook storm")
          .feed(notificationFeeder)
          .exec(session -> {
            meter.sent();
            long now = System.nanoTime();
            boolean plateau = now - stormStartNanos.accumulateAndGet(now, Math::min) >= ramp.toNanos();
            if (plateau) {
              plateauMeter.sent();
            }
            return session.set("plateau", plateau);
          })
          .exec(webhook(WEBHOOK))
          .exec(session -> {
            meter.answered(!session.isFailed());
            if (session.getBoolean("plateau")) {
              plateauMeter.answered(!session.isFailed());
            }
            return session;
          });

  /** The attempts, written after the preparation for the bench script's invariant check. */
  final ChainBuilder writeAttempts =
      exec(session -> {
        if (!attemptsFile.isEmpty()) {
          List<String> lines = new ArrayList<>();
          stormAttempts.forEach(attempt -> lines.add("storm " + attempt.transactionId()));
          warmupMade.forEach(attempt -> lines.add("warmup " + attempt.transactionId()));
          try {
            Files.write(Path.of(attemptsFile), lines, StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        System.out.println(">>> stub-before " + stubStats());
        System.out.println(">>> prepared " + stormAttempts.size() + " storm attempts (" + orders + " asked), "
            + warmupMade.size() + " warm-up attempts notified during the preparation, " + notMade.get()
            + " not made");
        return session;
      });

  /**
   * The stub's counts ({@code GET /stats}: {@code checks=…}), when {@code stubUrl} is given: taken
   * before and after the storm, they give the check calls the storm caused.
   */
  String stubStats() {
    if (stubUrl.isEmpty()) {
      return "(no -DstubUrl)";
    }
    try {
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stubUrl + "/stats"))
              .timeout(Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
          .body()
          .strip();
    } catch (IOException e) {
      return "(stub unreachable: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  @Override
  public void after() {
    System.out.println(">>> stub-after " + stubStats());
    System.out.println(meter.summary(rate));
    System.out.println(plateauMeter.summary(rate));
  }

  List<OpenInjectionStep> stormProfile() {
    List<OpenInjectionStep> steps = new ArrayList<>();
    if (!settle.isZero()) {
      steps.add(nothingFor(settle));
    }
    if (!ramp.isZero()) {
      steps.add(rampUsersPerSec(Math.min(1.0, rate)).to(rate).during(ramp));
    }
    steps.add(constantUsersPerSec(rate).during(duration));
    return steps;
  }

  {
    LoadConfig.describe("WebhookStormSimulation", "rate", rate + "/s", "ramp", ramp.toSeconds() + "s",
        "duration", duration.toMillis() / 1000.0 + "s", "orders", orders, "copies", copies,
        "pendingCopies", pendingCopies, "notifications", orders * copies, "spread", spread,
        "skuCodes", skuCodes.size() + " SKUs", "linesPerCart", linesPerCart,
        "prepareConcurrency", prepareConcurrency, "warmupOrders", warmupOrders,
        "settle", settle.toSeconds() + "s", "requestTimeoutMs", requestTimeoutMs, "p99Ms", p99Ms,
        "maxFailedPct", maxFailedPct, "stubUrl", stubUrl.isEmpty() ? "(none)" : stubUrl, "attemptsFile", attemptsFile.isEmpty() ? "(none)" : attemptsFile);

    List<Assertion> assertions = new ArrayList<>();
    assertions.add(details(WEBHOOK).failedRequests().percent().lte(maxFailedPct));
    assertions.addAll(LoadConfig.perRequestPercentiles(p99Ms, WEBHOOK));

    // The preparation's length depends on the service: allowed at least 10 orders/s plus a minute.
    Duration preparationBudget = Duration.ofSeconds((orders + warmupOrders) / 10 + 60);
    setUp(prepare.injectOpen(atOnceUsers(prepareConcurrency))
            .andThen(scenario("Attempts written").exec(writeAttempts).injectOpen(atOnceUsers(1))
                .andThen(storm.injectOpen(stormProfile()))))
        .protocols(httpProtocol)
        .maxDuration(preparationBudget.plus(settle).plus(ramp).plus(duration).plusMillis(requestTimeoutMs)
            .plusSeconds(30))
        .assertions(assertions);
  }
}
