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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A shopper's whole way to an order (PRODUCT.md §4), open model:
 *
 * <ol>
 *   <li>the category tree ({@code categories});
 *   <li>for each of 1 to 4 items: a random category's in-stock products ({@code products by
 *       category}, or {@code products in stock} when that category has none), a product of that
 *       list ({@code product detail}), one of its in-stock SKUs with a valid amount (1 to 3 units
 *       for UNIT, {@code minGrams} for WEIGHT); the cart is created before the first line
 *       ({@code create cart}), then the line set ({@code put cart line}: 200, or 409
 *       {@code insufficient-stock} when the item ran out meanwhile, and the shopper goes on);
 *   <li>the cart ({@code read cart}), then the order ({@code place order}: fresh UUID
 *       {@code Idempotency-Key}, pickup or, for {@code deliveryPct} % of carts of at least
 *       3,000 XOF, delivery; 201 with a {@code MER-YYYYMMDD-NNNN} number and an access token);
 *   <li>the order with its token ({@code read order}).
 * </ol>
 *
 * <p>Think times between pages ({@code thinkMinMs}..{@code thinkMaxMs}) and before placing the
 * order (filling in the form: {@code formThinkMinMs}..{@code formThinkMaxMs}); {@code
 * -Dstress=true} removes every pause. Injection like {@link BrowseSimulation}: {@code rate}
 * shoppers/s after a {@code ramp}, for {@code duration}, then {@code rampDown}.
 */
public class CheckoutSimulation extends Simulation {

  static final String CATEGORIES = "categories";
  static final String PRODUCTS_BY_CATEGORY = "products by category";
  static final String PRODUCTS_IN_STOCK = "products in stock";
  static final String PRODUCT_DETAIL = "product detail";
  static final String CREATE_CART = "create cart";
  static final String PUT_CART_LINE = "put cart line";
  static final String READ_CART = "read cart";
  static final String PLACE_ORDER = "place order";
  static final String READ_ORDER = "read order";

  static final int PAGE_SIZE = 24;

  final String baseUrl = LoadConfig.baseUrl();
  final double rate = LoadConfig.decimal("rate", 2.0);
  final Duration ramp = LoadConfig.seconds("ramp", 20);
  final Duration duration = LoadConfig.seconds("duration", 60);
  final Duration rampDown = LoadConfig.seconds("rampDown", (int) ramp.toSeconds());
  final boolean stress = LoadConfig.bool("stress", false);
  final int thinkMinMs = LoadConfig.integer("thinkMinMs", 1000);
  final int thinkMaxMs = Math.max(thinkMinMs, LoadConfig.integer("thinkMaxMs", 5000));
  final int formThinkMinMs = LoadConfig.integer("formThinkMinMs", 5000);
  final int formThinkMaxMs = Math.max(formThinkMinMs, LoadConfig.integer("formThinkMaxMs", 20000));
  final int minLines = Math.max(1, LoadConfig.integer("minLines", 1));
  final int maxLines = Math.max(minLines, LoadConfig.integer("maxLines", 4));
  final int maxQuantity = Math.max(1, LoadConfig.integer("maxQuantity", 3));
  final double deliveryPct = LoadConfig.decimal("deliveryPct", 30.0);
  final int p99Ms = LoadConfig.integer("p99Ms", 500);
  final double maxFailedPct = LoadConfig.decimal("maxFailedPct", 1.0);
  final boolean perRequestAssertions = LoadConfig.bool("perRequestAssertions", true);

  final HttpProtocolBuilder httpProtocol =
      http.baseUrl(baseUrl)
          .warmUp(baseUrl + "/api/categories")
          .acceptHeader("application/json")
          .acceptLanguageHeader("fr-CI,fr;q=0.9")
          .acceptEncodingHeader("gzip, deflate")
          .userAgentHeader("MonEpiceRiz-LoadTest/Gatling (checkout)")
          .disableCaching();

  /** A pause between pages; nothing under {@code -Dstress=true}. */
  ChainBuilder think() {
    return stress ? exec(session -> session) : pause(Duration.ofMillis(thinkMinMs), Duration.ofMillis(thinkMaxMs));
  }

  /** Filling in the checkout form; nothing under {@code -Dstress=true}. */
  ChainBuilder formThink() {
    return stress
        ? exec(session -> session)
        : pause(Duration.ofMillis(formThinkMinMs), Duration.ofMillis(formThinkMaxMs));
  }

  final ChainBuilder categories =
      exec(http(CATEGORIES)
              .get("/api/categories")
              .check(status().is(200), jsonPath("$..slug").findAll().saveAs("categorySlugs")))
          .exitHereIfFailed();

  /** Forgets the previous item and picks the category of the next one. */
  static Session nextItem(Session session) {
    List<String> slugs = session.getList("categorySlugs");
    return session
        .removeAll("productSlug", "sku", "skuCode", "lineBody", "lineStatus")
        .set("categorySlug", slugs.get(ThreadLocalRandom.current().nextInt(slugs.size())));
  }

  final ChainBuilder productList =
      exec(http(PRODUCTS_BY_CATEGORY)
              .get("/api/products")
              .queryParam("category", "#{categorySlug}")
              .queryParam("inStock", true)
              .queryParam("limit", PAGE_SIZE)
              .check(
                  status().is(200),
                  jsonPath("$.items").exists(),
                  jsonPath("$.items[*].slug").findRandom().optional().saveAs("productSlug")))
          // an empty category: the shopper looks at what is in stock instead
          .doIf(session -> !session.contains("productSlug"))
          .then(
              exec(http(PRODUCTS_IN_STOCK)
                  .get("/api/products")
                  .queryParam("inStock", true)
                  .queryParam("sort", "newest")
                  .queryParam("limit", PAGE_SIZE)
                  .check(
                      status().is(200),
                      jsonPath("$.items[*].slug").findRandom().optional().saveAs("productSlug"))));

  /** Chooses the amount of the SKU picked on the detail page (none when no SKU is in stock). */
  Session chooseLine(Session session) {
    if (!session.contains("sku")) {
      return session;
    }
    Map<String, Object> sku = session.getMap("sku");
    String body = Shoppers.lineBody(sku, maxQuantity);
    return body == null ? session : session.set("skuCode", sku.get("code")).set("lineBody", body);
  }

  final ChainBuilder productDetail =
      exec(http(PRODUCT_DETAIL)
              .get("/api/products/#{productSlug}")
              .check(
                  status().is(200),
                  jsonPath("$.skus[?(@.inStock == true)]").ofMap().findRandom().optional().saveAs("sku")))
          .exec(this::chooseLine);

  final ChainBuilder createCart =
      exec(http(CREATE_CART)
              .post("/api/carts")
              .check(
                  status().is(201),
                  header("Location").transform(Shoppers::lastSegment).saveAs("cartToken")))
          .exitHereIfFailed();

  final ChainBuilder putLine =
      exec(http(PUT_CART_LINE)
              .put("/api/carts/#{cartToken}/lines/#{skuCode}")
              .body(StringBody("#{lineBody}"))
              .asJson()
              .check(status().in(200, 409).saveAs("lineStatus"))
              // 409 is fine only when the item ran out since the page was read
              .checkIf((response, session) -> response.status().code() == 409)
              .then(jsonPath("$.code").is("insufficient-stock")))
          .exec(session -> session.contains("lineStatus") && session.getInt("lineStatus") == 200
              ? session.set("linesSet", session.getInt("linesSet") + 1)
              : session);

  final ChainBuilder oneItem =
      exec(CheckoutSimulation::nextItem)
          .exec(productList)
          .doIf(session -> session.contains("productSlug"))
          .then(exec(think(), productDetail))
          .doIf(session -> session.contains("lineBody"))
          .then(
              exec(think())
                  .doIf(session -> !session.contains("cartToken"))
                  .then(createCart)
                  .exec(putLine));

  final ChainBuilder readCart =
      exec(http(READ_CART)
          .get("/api/carts/#{cartToken}")
          .check(
              status().is(200),
              jsonPath("$.lines[0].skuCode").exists(),
              jsonPath("$.fulfilmentOptions").exists(),
              jsonPath("$.subtotal").ofLong().saveAs("subtotal")))
          .exitHereIfFailed();

  final ChainBuilder placeOrder =
      exec(session -> session
              .set("idempotencyKey", UUID.randomUUID().toString())
              .set("orderBody", Shoppers.orderBody(session.getString("cartToken"), session.getLong("subtotal"),
                  deliveryPct)))
          .exec(http(PLACE_ORDER)
              .post("/api/orders")
              .header("Idempotency-Key", "#{idempotencyKey}")
              .body(StringBody("#{orderBody}"))
              .asJson()
              .check(
                  status().is(201),
                  jsonPath("$.number")
                      .validate("order number " + Shoppers.ORDER_NUMBER,
                          (number, session) -> Shoppers.requireOrderNumber(number))
                      .saveAs("orderNumber"),
                  jsonPath("$.accessToken").saveAs("orderAccessToken")))
          .exitHereIfFailed();

  final ChainBuilder readOrder =
      exec(http(READ_ORDER)
          .get("/api/orders/#{orderNumber}")
          .header("Authorization", "Bearer #{orderAccessToken}")
          .check(status().is(200), jsonPath("$.number").isEL("#{orderNumber}")));

  final ScenarioBuilder checkout =
      scenario("Storefront checkout")
          .exec(session -> session
              .set("lineTarget", ThreadLocalRandom.current().nextInt(minLines, maxLines + 1))
              .set("linesSet", 0))
          .exec(categories)
          .repeat(session -> session.getInt("lineTarget"))
          .on(exec(think(), oneItem))
          // every item ran out or none was found: the shopper leaves without ordering
          .doIf(session -> session.getInt("linesSet") > 0)
          .then(exec(think(), readCart, formThink(), placeOrder, think(), readOrder));

  List<OpenInjectionStep> injectionProfile() {
    return LoadConfig.openRamp(rate, ramp, duration, rampDown);
  }

  /** The longest a journey can pause: page pauses around every item, then the form. */
  Duration longestJourneyPauses() {
    return stress
        ? Duration.ZERO
        : Duration.ofMillis((long) (3 * maxLines + 3) * thinkMaxMs + formThinkMaxMs);
  }

  {
    LoadConfig.describe("CheckoutSimulation", "rate", rate + "/s", "ramp", ramp.toSeconds() + "s",
        "duration", duration.toSeconds() + "s", "rampDown", rampDown.toSeconds() + "s", "stress", stress,
        "think", stress ? "none" : thinkMinMs + "-" + thinkMaxMs + "ms",
        "formThink", stress ? "none" : formThinkMinMs + "-" + formThinkMaxMs + "ms",
        "lines", minLines + "-" + maxLines, "maxQuantity", maxQuantity, "deliveryPct", deliveryPct,
        "p99Ms", p99Ms, "maxFailedPct", maxFailedPct, "perRequestAssertions", perRequestAssertions);

    List<Assertion> assertions = new ArrayList<>();
    assertions.add(global().responseTime().percentile(99.0).lt(p99Ms));
    assertions.add(global().failedRequests().percent().lt(maxFailedPct));
    if (perRequestAssertions) {
      // The requests nearly every journey makes ("products in stock" depends on the data).
      assertions.addAll(LoadConfig.perRequestPercentiles(p99Ms, CATEGORIES, PRODUCTS_BY_CATEGORY,
          PRODUCT_DETAIL, CREATE_CART, PUT_CART_LINE, READ_CART, PLACE_ORDER, READ_ORDER));
    }

    setUp(checkout.injectOpen(injectionProfile()))
        .protocols(httpProtocol)
        // Hard stop: injection time, the longest journey's pauses, and a minute.
        .maxDuration(ramp.plus(duration).plus(rampDown).plus(longestJourneyPauses()).plusSeconds(60))
        .assertions(assertions);
  }
}
