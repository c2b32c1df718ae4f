package ci.monepiceriz.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of {@code POST /api/orders} alone: every virtual user places one order from a cart
 * of its own, made beforehand, so that the orders are measured on their own.
 *
 * <p>Two phases, one after the other ({@code andThen}: they never overlap):
 *
 * <ol>
 *   <li>preparation: {@code prepareConcurrency} users make one cart per order to place (rate ×
 *       duration, plus 2 %) through the API, as fast as the service answers: {@code POST
 *       /api/carts} ({@code prepare: create cart}), then {@code linesPerCart} lines of 1 unit of
 *       distinct SKUs drawn from {@code skuCodes} ({@code prepare: put line}); then each of
 *       these users places {@code warmupOrders / prepareConcurrency} orders from carts made for
 *       them ({@code prepare: place order}). This warms Gatling's own JIT on the very requests
 *       and checks of the measured phase: without it Gatling ate a whole core during the first
 *       seconds of that phase, which queued the service's requests and set the phase's p99;
 *   <li>placement, after {@code settleSeconds}: {@code rate} orders per second (open model, after
 *       an optional {@code ramp}) for {@code duration} seconds, each from a prepared cart: fresh
 *       UUID {@code Idempotency-Key}, pickup or (for {@code deliveryPct} % of carts of at least
 *       3,000 XOF) delivery; 201 with a {@code MER-YYYYMMDD-NNNN} number expected ({@code place
 *       order}).
 * </ol>
 *
 * <p>The figures are those of the {@code place order} request (its own row in the report, its own
 * assertions). The SKUs must not run out (a refused order is a 409, counted as a failure): pass
 * SKUs with plenty of stock in {@code -DskuCodes=A,B,C}; {@code bench/checkout-figures.sh} chooses
 * them and raises their stock with {@code psql} first. Without {@code skuCodes}, UNIT SKUs in stock
 * are taken from the newest products, with a warning.
 *
 * <p>At the end, one line {@code >>> placement target=…/s ok=… ko=… window=…s achieved=…/s from=…
 * to=…} gives the orders actually placed per second over the placement window (first order sent to
 * last answer received) and that window on the wall clock.
 */
public class OrderPlacementSimulation extends Simulation {

  static final String PLACE_ORDER = "place order";
  static final String PREPARE_CART = "prepare: create cart";
  static final String PREPARE_LINE = "prepare: put line";
  static final String PREPARE_ORDER = "prepare: place order";

  final String baseUrl = LoadConfig.baseUrl();
  final double rate = LoadConfig.decimal("rate", 100.0);
  final Duration ramp = LoadConfig.seconds("ramp", 0);
  final Duration duration = LoadConfig.seconds("duration", 60);
  final List<String> givenSkuCodes = List.of(LoadConfig.string("skuCodes", "").split("\\s*,\\s*")).stream()
      .filter(code -> !code.isBlank())
      .toList();
  final int linesPerCart = Math.max(1, LoadConfig.integer("linesPerCart", 2));
  final double deliveryPct = LoadConfig.decimal("deliveryPct", 20.0);
  final int prepareConcurrency = Math.max(1, LoadConfig.integer("prepareConcurrency", 16));
  final int warmupOrders = Math.max(0, LoadConfig.integer("warmupOrders", 2000));
  final Duration settle = LoadConfig.seconds("settleSeconds", 5);
  final int requestTimeoutMs = LoadConfig.integer("requestTimeoutMs", 10_000);
  final int p99Ms = LoadConfig.integer("p99Ms", 150);
  final double maxFailedPct = LoadConfig.decimal("maxFailedPct", 1.0);

  /** The SKUs to fill the carts with: given, or found in {@link #before()}. */
  volatile List<String> skuCodes = givenSkuCodes;

  /** A cart made by the preparation, and its subtotal as the service priced it. */
  record Cart(String token, long subtotal) {}

  final ConcurrentLinkedQueue<Cart> carts = new ConcurrentLinkedQueue<>();
  final AtomicLong cartsNotMade = new AtomicLong();
  final PlacementMeter meter = new PlacementMeter();

  /** Orders to place: the injection profile's area. */
  long ordersToPlace() {
    return Math.round(rate * duration.toSeconds() + (rate + Math.min(1.0, rate)) / 2 * ramp.toSeconds());
  }

  /** Warm-up orders each preparing user places. */
  long warmupOrdersPerPreparer() {
    return (warmupOrders + prepareConcurrency - 1) / prepareConcurrency;
  }

  /**
   * Carts each preparing user makes, so that all of them make a little more than needed, its
   * warm-up orders' included.
   */
  long cartsPerPreparer() {
    long needed = ordersToPlace() + ordersToPlace() / 50 + 10;
    return (needed + prepareConcurrency - 1) / prepareConcurrency + warmupOrdersPerPreparer();
  }

  final HttpProtocolBuilder httpProtocol =
      http.baseUrl(baseUrl)
          .disableWarmUp()
          .acceptHeader("application/json")
          .acceptLanguageHeader("fr-CI,fr;q=0.9")
          .acceptEncodingHeader("gzip, deflate")
          .userAgentHeader("MonEpiceRiz-LoadTest/Gatling (order-placement)")
          .disableCaching();

  /** {@code linesPerCart} distinct SKU codes at random. */
  List<String> lineCodes() {
    List<String> codes = skuCodes;
    if (linesPerCart == 1) {
      return List.of(codes.get(ThreadLocalRandom.current().nextInt(codes.size())));
    }
    List<String> shuffled = new ArrayList<>(codes);
    Collections.shuffle(shuffled, ThreadLocalRandom.current());
    return List.copyOf(shuffled.subList(0, Math.min(linesPerCart, shuffled.size())));
  }

  final ScenarioBuilder prepare =
      scenario("Cart preparation")
          .repeat(session -> (int) cartsPerPreparer())
          .on(exec(session -> session.markAsSucceeded().removeAll("cartToken", "subtotal").set("lineCodes", lineCodes()))
              .exec(http(PREPARE_CART)
                  .post("/api/carts")
                  .check(
                      status().is(201),
                      header("Location").transform(Shoppers::lastSegment).saveAs("cartToken")))
              .doIf(session -> session.contains("cartToken"))
              .then(foreach(session -> session.getList("lineCodes"), "lineCode")
                  .on(exec(http(PREPARE_LINE)
                      .put("/api/carts/#{cartToken}/lines/#{lineCode}")
                      .body(StringBody("{\"quantity\": 1}"))
                      .asJson()
                      .check(status().is(200), jsonPath("$.subtotal").ofLong().saveAs("subtotal")))))
              .exec(session -> {
                if (session.isFailed() || !session.contains("subtotal")) {
                  cartsNotMade.incrementAndGet();
                } else {
                  carts.add(new Cart(session.getString("cartToken"), session.getLong("subtotal")));
                }
                return session;
              }))
          .repeat(session -> (int) warmupOrdersPerPreparer())
          .on(exec(session -> {
                Cart cart = carts.poll();
                return cart == null ? session.markAsFailed()
                    : orderRequest(session.markAsSucceeded().set("cartToken", cart.token()).set("subtotal", cart.subtotal()));
              })
              .doIf(session -> !session.isFailed())
              .then(exec(placeOrder(PREPARE_ORDER))));

  /** Hands each placing user a cart of its own; an empty queue is said loudly. */
  final Iterator<Map<String, Object>> cartFeeder =
      new Iterator<>() {
        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public Map<String, Object> next() {
          Cart cart = carts.poll();
          if (cart == null) {
            throw new IllegalStateException("no prepared cart left (" + cartsNotMade.get()
                + " could not be made, see the 'prepare:' requests)");
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

  /** {@code POST /api/orders} for the session's cart, a 201 with a number expected. */
  HttpRequestActionBuilder placeOrder(String name) {
    return http(name)
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
            jsonPath("$.accessToken").exists());
  }

  final ScenarioBuilder placement =
      scenario("Order placement")
          .feed(cartFeeder)
          .exec(this::orderRequest)
          .exec(session -> {
            meter.sent();
            return session;
          })
          .exec(placeOrder(PLACE_ORDER))
          .exec(session -> {
            meter.answered(!session.isFailed());
            return session;
          });

  @Override
  public void before() {
    if (skuCodes.isEmpty()) {
      skuCodes = SkuDiscovery.unitSkusInStock(baseUrl, 20);
      System.out.println(">>> no -DskuCodes: using " + skuCodes.size() + " UNIT SKUs in stock from the catalog "
          + skuCodes + "; their stock may run out (409 lines-unavailable). bench/checkout-figures.sh raises the"
          + " stock of the SKUs it passes.");
    }
    if (skuCodes.isEmpty()) {
      throw new IllegalStateException("no SKU to put in the carts: pass -DskuCodes or load a catalog");
    }
  }

  @Override
  public void after() {
    System.out.println(">>> prepared " + carts.size() + " carts left unused, " + cartsNotMade.get() + " not made");
    System.out.println(meter.summary(rate));
  }

  List<OpenInjectionStep> placementProfile() {
    List<OpenInjectionStep> steps = new ArrayList<>();
    if (!settle.isZero()) {
      steps.add(nothingFor(settle));
    }
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
        "carts", cartsPerPreparer() * prepareConcurrency,
        "skuCodes", givenSkuCodes.isEmpty() ? "(discovered)" : givenSkuCodes.size() + " SKUs",
        "linesPerCart", linesPerCart, "deliveryPct", deliveryPct, "prepareConcurrency", prepareConcurrency,
        "warmupOrders", warmupOrdersPerPreparer() * prepareConcurrency,
        "settle", settle.toSeconds() + "s", "requestTimeoutMs", requestTimeoutMs, "p99Ms", p99Ms,
        "maxFailedPct", maxFailedPct);

    List<Assertion> assertions = new ArrayList<>();
    assertions.add(details(PLACE_ORDER).failedRequests().percent().lt(maxFailedPct));
    assertions.addAll(LoadConfig.perRequestPercentiles(p99Ms, PLACE_ORDER));

    // The preparation's length depends on the service: allowed at least 20 carts/s plus a minute.
    Duration preparationBudget = Duration.ofSeconds(cartsPerPreparer() * prepareConcurrency / 20 + 60);
    setUp(prepare.injectOpen(atOnceUsers(prepareConcurrency))
            .andThen(placement.injectOpen(placementProfile())))
        .protocols(httpProtocol)
        .maxDuration(preparationBudget.plus(settle).plus(ramp).plus(duration).plusMillis(requestTimeoutMs)
            .plusSeconds(30))
        .assertions(assertions);
  }
}
