package ci.monepiceriz.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ClosedInjectionStep;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hammers the hot catalog reads without think time, each under its own request name so that
 * the console summary and the report give per-endpoint percentiles:
 *
 * <ul>
 *   <li>{@code catalog first page}: {@code GET /api/products?limit=24} (served from cache);
 *   <li>{@code catalog filtered page}: price range, in stock, price ascending;
 *   <li>{@code catalog product detail}: {@code GET /api/products/{slug}}, slug from the first
 *       page (or {@code -DproductSlug});
 *   <li>{@code catalog search epices}: {@code GET /api/products?q=epices}.
 * </ul>
 *
 * <p>Model: {@code -Dmodel=open} (default; {@code -Drate} iterations/s) or {@code -Dmodel=closed}
 * ({@code -Dusers} concurrent users, each replaced as soon as it finishes). Other properties:
 * {@code baseUrl}, {@code ramp}, {@code duration}, {@code productSlug}, {@code p99Ms},
 * {@code maxFailedPct}, {@code perRequestAssertions} (default true: p50/p95/p99 of each request
 * are asserted against {@code p99Ms} too, which prints them on the console).
 */
public class CatalogStressSimulation extends Simulation {

  static final String FIRST_PAGE = "catalog first page";
  static final String FILTERED_PAGE = "catalog filtered page";
  static final String PRODUCT_DETAIL = "catalog product detail";
  static final String SEARCH = "catalog search epices";

  final String baseUrl = LoadConfig.baseUrl();
  final String model = LoadConfig.string("model", "open").toLowerCase(Locale.ROOT);
  final double rate = LoadConfig.decimal("rate", 20.0);
  final int users = LoadConfig.integer("users", 20);
  final Duration ramp = LoadConfig.seconds("ramp", 15);
  final Duration duration = LoadConfig.seconds("duration", 60);
  final String fixedSlug = LoadConfig.string("productSlug", "");
  final int p99Ms = LoadConfig.integer("p99Ms", 500);
  final double maxFailedPct = LoadConfig.decimal("maxFailedPct", 1.0);
  final boolean perRequestAssertions = LoadConfig.bool("perRequestAssertions", true);

  final HttpProtocolBuilder httpProtocol =
      http.baseUrl(baseUrl)
          .warmUp(baseUrl + "/api/products?limit=24")
          .acceptHeader("application/json")
          .acceptLanguageHeader("fr-CI,fr;q=0.9")
          .acceptEncodingHeader("gzip, deflate")
          .userAgentHeader("MonEpiceRiz-LoadTest/Gatling (catalog-stress)")
          .disableCaching();

  final ScenarioBuilder catalog =
      scenario("Catalog stress")
          .exec(session -> fixedSlug.isEmpty() ? session : session.set("productSlug", fixedSlug))
          .exec(http(FIRST_PAGE)
              .get("/api/products")
              .queryParam("limit", 24)
              .check(
                  status().is(200),
                  jsonPath("$.items").exists(),
                  jsonPath("$.items[*].slug").findRandom().optional().saveAs("pageSlug")))
          .exec(http(FILTERED_PAGE)
              .get("/api/products")
              .queryParam("minPrice", 500)
              .queryParam("maxPrice", 20000)
              .queryParam("inStock", true)
              .queryParam("sort", "price_asc")
              .queryParam("limit", 24)
              .check(status().is(200), jsonPath("$.items").exists()))
          .exec(session -> session.contains("productSlug") || !session.contains("pageSlug")
              ? session
              : session.set("productSlug", session.getString("pageSlug")))
          .doIf(session -> session.contains("productSlug"))
          .then(exec(http(PRODUCT_DETAIL)
              .get("/api/products/#{productSlug}")
              .check(status().is(200), jsonPath("$.skus").exists())))
          .exec(http(SEARCH)
              .get("/api/products")
              .queryParam("q", "epices")
              .check(status().is(200), jsonPath("$.items").exists()));

  PopulationBuilder population() {
    switch (model) {
      case "open": {
        List<OpenInjectionStep> steps = new ArrayList<>();
        if (!ramp.isZero()) {
          steps.add(rampUsersPerSec(Math.min(1.0, rate)).to(rate).during(ramp));
        }
        steps.add(constantUsersPerSec(rate).during(duration));
        return catalog.injectOpen(steps);
      }
      case "closed": {
        List<ClosedInjectionStep> steps = new ArrayList<>();
        if (!ramp.isZero()) {
          steps.add(rampConcurrentUsers(1).to(users).during(ramp));
        }
        steps.add(constantConcurrentUsers(users).during(duration));
        return catalog.injectClosed(steps);
      }
      default:
        throw new IllegalArgumentException("-Dmodel must be 'open' or 'closed', got '" + model + "'");
    }
  }

  {
    LoadConfig.describe("CatalogStressSimulation", "model", model,
        "open".equals(model) ? "rate" : "users", "open".equals(model) ? rate + "/s" : users,
        "ramp", ramp.toSeconds() + "s", "duration", duration.toSeconds() + "s",
        "productSlug", fixedSlug.isEmpty() ? "(from first page)" : fixedSlug,
        "p99Ms", p99Ms, "maxFailedPct", maxFailedPct, "perRequestAssertions", perRequestAssertions);

    List<Assertion> assertions = new ArrayList<>();
    assertions.add(global().responseTime().percentile(99.0).lt(p99Ms));
    assertions.add(global().failedRequests().percent().lt(maxFailedPct));
    if (perRequestAssertions) {
      assertions.addAll(LoadConfig.perRequestPercentiles(p99Ms, FIRST_PAGE, FILTERED_PAGE, PRODUCT_DETAIL, SEARCH));
    }

    setUp(population())
        .protocols(httpProtocol)
        .maxDuration(ramp.plus(duration).plusSeconds(60))
        .assertions(assertions);
  }
}
