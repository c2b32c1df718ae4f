package ci.monepiceriz.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Storefront browse journey of one shopper (open model: new shoppers arrive at a given rate):
 *
 * <ol>
 *   <li>category tree, pick a random category slug at any depth;
 *   <li>first page of that category, then the next page once when {@code nextCursor} is set;
 *   <li>a filtered, sorted list (price range, in stock, price ascending);
 *   <li>a search from a feeder of French grocery queries, with and without accents and typos;
 *   <li>a product detail for a slug seen in one of the lists, then the same detail again with
 *       {@code If-None-Match} (strong ETag: must be 304);
 *   <li>the SKU lookup by barcode when the product has one.
 * </ol>
 *
 * <p>Properties: {@code baseUrl}, {@code rate} (shoppers/s at plateau), {@code ramp} (s),
 * {@code duration} (s at plateau), {@code rampDown} (s), {@code thinkMinMs}/{@code thinkMaxMs}
 * (pause between pages), {@code p99Ms}, {@code maxFailedPct}, {@code perRequestAssertions}
 * (default false; true also asserts and prints p50/p95/p99 of each request).
 */
public class BrowseSimulation extends Simulation {

  static final int PAGE_SIZE = 24;

  final String baseUrl = LoadConfig.baseUrl();
  final double rate = LoadConfig.decimal("rate", 5.0);
  final Duration ramp = LoadConfig.seconds("ramp", 20);
  final Duration duration = LoadConfig.seconds("duration", 60);
  final Duration rampDown = LoadConfig.seconds("rampDown", (int) ramp.toSeconds());
  final int thinkMinMs = LoadConfig.integer("thinkMinMs", 200);
  final int thinkMaxMs = Math.max(thinkMinMs, LoadConfig.integer("thinkMaxMs", 1500));
  final int p99Ms = LoadConfig.integer("p99Ms", 500);
  final double maxFailedPct = LoadConfig.decimal("maxFailedPct", 1.0);
  final boolean perRequestAssertions = LoadConfig.bool("perRequestAssertions", false);

  final HttpProtocolBuilder httpProtocol =
      http.baseUrl(baseUrl)
          .warmUp(baseUrl + "/api/categories")
          .acceptHeader("application/json")
          .acceptLanguageHeader("fr-CI,fr;q=0.9")
          .acceptEncodingHeader("gzip, deflate")
          .userAgentHeader("MonEpiceRiz-LoadTest/Gatling (browse)")
          // Conditional requests are made explicitly below; Gatling's own per-user cache would
          // otherwise add If-None-Match (or skip requests) behind our back.
          .disableCaching();

  final FeederBuilder<String> searchTerms = csv("search-terms.csv").random();

  ChainBuilder think() {
    return pause(Duration.ofMillis(thinkMinMs), Duration.ofMillis(thinkMaxMs));
  }

  final ChainBuilder categories =
      exec(http("categories")
              .get("/api/categories")
              .check(status().is(200), jsonPath("$..slug").findRandom().saveAs("categorySlug")))
          .exitHereIfFailed();

  final ChainBuilder categoryPages =
      exec(http("products by category")
              .get("/api/products")
              .queryParam("category", "#{categorySlug}")
              .queryParam("limit", PAGE_SIZE)
              .check(
                  status().is(200),
                  jsonPath("$.items").exists(),
                  jsonPath("$.items[*].slug").findRandom().optional().saveAs("categoryProductSlug"),
                  // JMESPath treats null as "not found": nothing saved when nextCursor is null.
                  jmesPath("nextCursor").optional().saveAs("nextCursor")))
          .doIf(session -> session.contains("nextCursor"))
          .then(
              exec(think(),
                  http("products by category (next page)")
                      .get("/api/products")
                      .queryParam("category", "#{categorySlug}")
                      .queryParam("limit", PAGE_SIZE)
                      .queryParam("cursor", "#{nextCursor}")
                      .check(status().is(200), jsonPath("$.items").exists())));

  final ChainBuilder filteredList =
      exec(http("products filtered")
          .get("/api/products")
          .queryParam("minPrice", 500)
          .queryParam("maxPrice", 20000)
          .queryParam("inStock", true)
          .queryParam("sort", "price_asc")
          .queryParam("limit", PAGE_SIZE)
          .check(
              status().is(200),
              jsonPath("$.items").exists(),
              jsonPath("$.items[*].slug").findRandom().optional().saveAs("filteredProductSlug")));

  final ChainBuilder search =
      feed(searchTerms)
          .exec(http("search")
              .get("/api/products")
              .queryParam("q", "#{term}")
              .check(
                  status().is(200),
                  jsonPath("$.items").exists(),
                  jsonPath("$.items[*].slug").findRandom().optional().saveAs("searchProductSlug")));

  /** Picks the product to open among the slugs the shopper has seen in the lists. */
  static Session chooseDetailSlug(Session session) {
    List<String> seen = new ArrayList<>(3);
    for (String key : List.of("categoryProductSlug", "filteredProductSlug", "searchProductSlug")) {
      if (session.contains(key)) {
        seen.add(session.getString(key));
      }
    }
    return seen.isEmpty()
        ? session
        : session.set("detailSlug", seen.get(ThreadLocalRandom.current().nextInt(seen.size())));
  }

  final ChainBuilder detail =
      exec(BrowseSimulation::chooseDetailSlug)
          .doIf(session -> session.contains("detailSlug"))
          .then(
              exec(http("product detail")
                      .get("/api/products/#{detailSlug}")
                      .check(
                          status().is(200),
                          jsonPath("$.skus").exists(),
                          header("ETag").optional().saveAs("etag"),
                          // first SKU that has a barcode; JMESPath null (none) = not saved
                          jmesPath("skus[?barcode].barcode | [0]").optional().saveAs("barcode")))
                  .pause(Duration.ofMillis(thinkMinMs))
                  // Revalidation, as a browser coming back to the page: strong ETag => 304.
                  .doIf(session -> session.contains("etag"))
                  .then(
                      exec(http("product detail (If-None-Match)")
                          .get("/api/products/#{detailSlug}")
                          .header("If-None-Match", "#{etag}")
                          .check(status().is(304))))
                  .doIf(session -> session.contains("barcode"))
                  .then(
                      exec(think(),
                          http("sku by barcode")
                              .get("/api/skus/by-barcode/#{barcode}")
                              .check(status().is(200)))));

  final ScenarioBuilder browse =
      scenario("Storefront browse")
          .exec(categories, think(), categoryPages, think(), filteredList, think(), search, think(), detail);

  List<OpenInjectionStep> injectionProfile() {
    return LoadConfig.openRamp(rate, ramp, duration, rampDown);
  }

  {
    LoadConfig.describe("BrowseSimulation", "rate", rate + "/s", "ramp", ramp.toSeconds() + "s",
        "duration", duration.toSeconds() + "s", "rampDown", rampDown.toSeconds() + "s",
        "think", thinkMinMs + "-" + thinkMaxMs + "ms", "p99Ms", p99Ms, "maxFailedPct", maxFailedPct,
        "perRequestAssertions", perRequestAssertions);

    List<Assertion> assertions = new ArrayList<>();
    assertions.add(global().responseTime().percentile(99.0).lt(p99Ms));
    assertions.add(global().failedRequests().percent().lt(maxFailedPct));
    if (perRequestAssertions) {
      // Only the requests every journey makes: an assertion on a request that never ran fails
      // ("Could not find stats"), and the next page / barcode lookup depend on the data.
      assertions.addAll(LoadConfig.perRequestPercentiles(p99Ms, "categories", "products by category",
          "products filtered", "search", "product detail", "product detail (If-None-Match)"));
    }

    setUp(browse.injectOpen(injectionProfile()))
        .protocols(httpProtocol)
        // Hard stop: injection time plus a minute for the last journeys to finish.
        .maxDuration(ramp.plus(duration).plus(rampDown).plusSeconds(60))
        .assertions(assertions);
  }
}
