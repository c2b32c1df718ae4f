package ci.monepiceriz.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Throughput of {@code POST /api/orders} alone: every virtual user places one order from a cart
 * of its own, made beforehand, so that the only request Gatling measures is {@code place order}.
 *
 * <p>Before the measured phase ({@link #before()}, not recorded by Gatling), {@link CartPreparer}
 * creates one cart per order to place (rate × duration, plus 2 %) through the API, each with
 * {@code linesPerCart} lines of 1 unit of SKUs drawn from {@code skuCodes}; then waits {@code
 * settleSeconds}. Then {@code rate} orders per second (open model, after an optional {@code
 * ramp}) for {@code duration} seconds: fresh UUID {@code Idempotency-Key}, pickup or (for {@code
 * deliveryPct} % of carts of at least 3,000 XOF) delivery; 201 with a {@code MER-YYYYMMDD-NNNN}
 * number expected. Nothing else is sent.
 *
 * <p>The SKUs must not run out during a run (a refused order is a 409 and counts as a failure):
 * pass SKUs with plenty of stock in {@code -DskuCodes=A,B,C}; {@code bench/checkout-figures.sh}
 * chooses them and raises their stock with {@code psql} first. Without {@code skuCodes}, UNIT SKUs
 * in stock are taken from the first in-stock product pages, with a warning.
 *
 * <p>At the end, one line {@code >>> placement ok=… ko=… window=…s achieved=…/s} gives the orders
 * actually placed per second: successful orders divided by the time from the first order sent to
 * the last answer received (the report's own throughput divides by the whole run).
 */
public class OrderPlacementSimulation extends Simulation {

  static final String PLACE_ORDER = "place order";

  final String baseUrl = LoadConfig.baseUrl();
  final double rate = LoadConfig.decimal("rate", 100.0);
  final Duration ramp = LoadConfig.seconds("ramp", 0);
  final Duration duration = LoadConfig.seconds("duration", 60);
  final List<String> skuCodes = List.of(LoadConfig.string("skuCodes", "").split("\\s*,\\s*")).stream()
      .filter(code -> !code.isBlank())
      .toList();
  final int linesPerCart = Math.max(1, LoadConfig.integer("linesPerCart", 2));
  final double deliveryPct = LoadConfig.decimal("deliveryPct", 20.0);
  final int prepareConcurrency = Math.max(1, LoadConfig.integer("prepareConcurrency", 8));
  final Duration settle = LoadConfig.seconds("settleSeconds", 5);
  final int requestTimeoutMs = LoadConfig.integer("requestTimeoutMs", 10_000);
  final int p99Ms = LoadConfig.integer("p99Ms", 150);
  final double maxFailedPct = LoadConfig.decimal("maxFailedPct", 1.0);

  /** Carts made before the run, taken one per virtual user. */
  final ConcurrentLinkedQueue<CartPreparer.Cart> carts = new ConcurrentLinkedQueue<>();

  final PlacementMeter meter = new PlacementMeter();

  final HttpProtocolBuilder httpProtocol =
      http.baseUrl(baseUrl)
          // the preparation has already warmed the connection and the service
          .disableWarmUp()
          .acceptHeader("application/json")
          .acceptLanguageHeader("fr-CI,fr;q=0.9")
          .acceptEncodingHeader("gzip, deflate")
          .userAgentHeader("MonEpiceRiz-LoadTest/Gatling (order-placement)")
          .disableCaching();

  /** Orders to place: the injection profile's area. */
  long ordersToPlace() {
    return Math.round(rate * duration.toSeconds() + (rate + Math.min(1.0, rate)) / 2 * ramp.toSeconds());
  }

  /** Hands each virtual user a cart of its own; an exhausted queue is a sizing bug, said loudly. */
  final Iterator<Map<String, Object>> cartFeeder =
      new Iterator<>() {
        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public Map<String, Object> next() {
          CartPreparer.Cart cart = carts.poll();
          if (cart == null) {
            throw new IllegalStateException("no prepared cart left: more users were injected than carts made");
          }
          return Map.of("cartToken", cart.token(), "subtotal", cart.subtotal());
        }
      };

  Session orderRequest(Session session) {
    return session
        .set("idempotencyKey", UUID.randomUUID().toString())
        .set("orderBody",
            Shoppers.orderBody(session.getString("cartToken"), session.getLong("subtotal"), deliveryPct));
  }

  final ScenarioBuilder placement =
      scenario("Order placement")
          .feed(cartFeeder)
          .exec(this::orderRequest)
          .exec(session -> {
            meter.sent();
            return session;
          })
          .exec(http(PLACE_ORDER)
              .post("/api/orders")
              .header("Idempotency-Key", "#{idempotencyKey}")
              .body(StringBody("#{orderBody}"))
              .asJson()
              .requestTimeout(Duration.ofMillis(requestTimeoutMs))
              .check(
                  status().is(201),
                  jsonPath("$.number")
                      .validate("order number " + Shoppers.ORDER_NUMBER,
                          (number, session) -> Shoppers.requireOrderNumber(number)),
                  jsonPath("$.accessToken").exists()))
          .exec(session -> {
            meter.answered(!session.isFailed());
            return session;
          });

  @Override
  public void before() {
    List<String> codes = skuCodes;
    if (codes.isEmpty()) {
      codes = CartPreparer.discoverUnitSkus(baseUrl, 20);
      System.out.println(">>> no -DskuCodes: using " + codes.size() + " UNIT SKUs in stock from the catalog "
          + codes + "; their stock may run out (409 lines-unavailable). bench/checkout-figures.sh raises the"
          + " stock of the SKUs it passes.");
    }
    if (codes.isEmpty()) {
      throw new IllegalStateException("no SKU to put in the carts: pass -DskuCodes or load a catalog");
    }
    long count = ordersToPlace() + ordersToPlace() / 50 + 10;
    CartPreparer preparer = new CartPreparer(baseUrl, prepareConcurrency);
    long started = System.nanoTime();
    List<CartPreparer.Cart> made = preparer.prepare(count, codes, linesPerCart);
    carts.addAll(made);
    System.out.printf(Locale.ROOT, ">>> prepared %d carts (%d line(s) each from %d SKUs) in %.1f s%n",
        made.size(), linesPerCart, codes.size(), (System.nanoTime() - started) / 1e9);
    try {
      Thread.sleep(settle.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void after() {
    System.out.println(meter.summary(rate));
  }

  List<OpenInjectionStep> injectionProfile() {
    List<OpenInjectionStep> steps = new ArrayList<>();
    if (!ramp.isZero()) {
      steps.add(rampUsersPerSec(Math.min(1.0, rate)).to(rate).during(ramp));
    }
    if (duration.isZero()) {
      throw new IllegalArgumentException("-Dduration must be > 0");
    }
    steps.add(constantUsersPerSec(rate).during(duration));
    return steps;
  }

  {
    LoadConfig.describe("OrderPlacementSimulation", "rate", rate + "/s", "ramp", ramp.toSeconds() + "s",
        "duration", duration.toSeconds() + "s", "orders", ordersToPlace(),
        "skuCodes", skuCodes.isEmpty() ? "(discovered)" : skuCodes.size() + " SKUs",
        "linesPerCart", linesPerCart, "deliveryPct", deliveryPct, "prepareConcurrency", prepareConcurrency,
        "requestTimeoutMs", requestTimeoutMs, "p99Ms", p99Ms, "maxFailedPct", maxFailedPct);

    List<Assertion> assertions = new ArrayList<>();
    assertions.add(details(PLACE_ORDER).failedRequests().percent().lt(maxFailedPct));
    assertions.addAll(LoadConfig.perRequestPercentiles(p99Ms, PLACE_ORDER));

    setUp(placement.injectOpen(injectionProfile()))
        .protocols(httpProtocol)
        .maxDuration(ramp.plus(duration).plusMillis(requestTimeoutMs).plusSeconds(30))
        .assertions(assertions);
  }
}
