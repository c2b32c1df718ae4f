package ci.monepiceriz.load;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * A few clients pulling the full NDJSON catalog export ({@code GET /api/catalog/export},
 * {@code Accept: application/x-ndjson}) at the same time; measures the time to receive the
 * whole stream. The body is not kept in memory (only status, content type and length are
 * checked).
 *
 * <p>Properties: {@code baseUrl}, {@code clients} (concurrent clients, default 3),
 * {@code repeat} (exports per client, default 2), {@code exportMaxMs} (max full-export time,
 * default 60000), {@code maxFailedPct}. Gatling's request timeout is 120 s (gatling.conf).
 */
public class ExportSimulation extends Simulation {

  final String baseUrl = LoadConfig.baseUrl();
  final int clients = LoadConfig.integer("clients", 3);
  final int repeat = LoadConfig.integer("repeat", 2);
  final int exportMaxMs = LoadConfig.integer("exportMaxMs", 60_000);
  final double maxFailedPct = LoadConfig.decimal("maxFailedPct", 1.0);

  final HttpProtocolBuilder httpProtocol =
      http.baseUrl(baseUrl)
          .disableWarmUp()
          .userAgentHeader("MonEpiceRiz-LoadTest/Gatling (export)")
          .disableCaching();

  final ScenarioBuilder export =
      scenario("Catalog export")
          .repeat(repeat)
          .on(exec(http("catalog export (ndjson)")
                  .get("/api/catalog/export")
                  .header("Accept", "application/x-ndjson")
                  .check(
                      status().is(200),
                      header("Content-Type")
                          .transform(value -> value.split(";", 2)[0].trim())
                          .is("application/x-ndjson"),
                      bodyLength().gt(0)))
              .pause(Duration.ofSeconds(1)));

  {
    LoadConfig.describe("ExportSimulation", "clients", clients, "repeat", repeat,
        "exportMaxMs", exportMaxMs, "maxFailedPct", maxFailedPct);

    setUp(export.injectOpen(atOnceUsers(clients)))
        .protocols(httpProtocol)
        .maxDuration(Duration.ofMillis((long) repeat * (120_000 + 1_000) + 60_000))
        .assertions(
            global().responseTime().max().lt(exportMaxMs),
            global().failedRequests().percent().lt(maxFailedPct));
  }
}
