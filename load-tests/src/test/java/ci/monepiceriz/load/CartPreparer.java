package ci.monepiceriz.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes carts ready to order through the storefront API, outside Gatling (so nothing of it is in
 * the report): {@code POST /api/carts}, then {@code PUT /api/carts/{token}/lines/{code}} with
 * {@code {"quantity": 1}} for each line. Plain blocking JDK HTTP client on a few threads: this
 * runs before the measured phase, where only its total time matters.
 */
final class CartPreparer {

  /** A cart with its lines set, and its subtotal (XOF) as the service priced it. */
  record Cart(String token, long subtotal) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final int concurrency;
  private final HttpClient client;

  CartPreparer(String baseUrl, int concurrency) {
    this.baseUrl = baseUrl;
    this.concurrency = concurrency;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /**
   * {@code count} carts, each with {@code linesPerCart} distinct SKUs drawn from {@code codes}
   * (UNIT SKUs: one unit each). A few transient failures are retried; more than that stops the
   * run with the service's answer, since the measured phase would then measure nothing useful.
   */
  List<Cart> prepare(long count, List<String> codes, int linesPerCart) {
    int lines = Math.min(linesPerCart, codes.size());
    ConcurrentLinkedQueue<Cart> made = new ConcurrentLinkedQueue<>();
    AtomicLong left = new AtomicLong(count);
    AtomicInteger failures = new AtomicInteger();
    long allowedFailures = 3 + count / 1000;
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        workers.add(pool.submit(() -> {
          while (left.getAndDecrement() > 0) {
            try {
              made.add(cart(pick(codes, lines)));
            } catch (IOException | RuntimeException e) {
              if (failures.incrementAndGet() > allowedFailures) {
                throw new IllegalStateException("cart preparation failed " + failures.get() + " times, last: "
                    + e.getMessage(), e);
              }
              left.incrementAndGet();
            }
          }
          return null;
        }));
      }
      long lastReport = System.nanoTime();
      for (Future<?> worker : workers) {
        while (true) {
          try {
            worker.get(5, TimeUnit.SECONDS);
            break;
          } catch (java.util.concurrent.TimeoutException stillRunning) {
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
              System.out.printf(Locale.ROOT, ">>> preparing carts: %d/%d%n", made.size(), count);
              lastReport = System.nanoTime();
            }
          }
        }
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing carts", e);
    } finally {
      pool.shutdownNow();
    }
    return new ArrayList<>(made);
  }

  private static List<String> pick(List<String> codes, int lines) {
    if (lines == 1) {
      return List.of(codes.get(ThreadLocalRandom.current().nextInt(codes.size())));
    }
    List<String> shuffled = new ArrayList<>(codes);
    Collections.shuffle(shuffled, ThreadLocalRandom.current());
    return shuffled.subList(0, lines);
  }

  private Cart cart(List<String> codes) throws IOException {
    HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/carts"))
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.noBody()), 201);
    String token = Shoppers.lastSegment(created.headers().firstValue("Location")
        .orElseThrow(() -> new IOException("POST /api/carts answered 201 without Location")));
    long subtotal = 0;
    for (String code : codes) {
      HttpResponse<String> line = send(HttpRequest.newBuilder(
              URI.create(baseUrl + "/api/carts/" + token + "/lines/" + URLEncoder.encode(code, StandardCharsets.UTF_8)))
          .header("Accept", "application/json")
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString("{\"quantity\": 1}")), 200);
      subtotal = JSON.readTree(line.body()).path("subtotal").asLong();
    }
    return new Cart(token, subtotal);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, int expected) throws IOException {
    HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
    try {
      HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expected) {
        throw new IOException(built.method() + " " + built.uri().getPath() + " answered " + response.statusCode()
            + " (expected " + expected + "): " + response.body());
      }
      return response;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Up to {@code max} UNIT SKUs in stock, from the details of the newest in-stock products: for a
   * run without {@code -DskuCodes}.
   */
  static List<String> discoverUnitSkus(String baseUrl, int max) {
    CartPreparer preparer = new CartPreparer(baseUrl, 1);
    List<String> codes = new ArrayList<>();
    try {
      JsonNode page = JSON.readTree(preparer.send(HttpRequest.newBuilder(
              URI.create(baseUrl + "/api/products?inStock=true&sort=newest&limit=48"))
          .header("Accept", "application/json")
          .GET(), 200).body());
      for (JsonNode item : page.path("items")) {
        JsonNode detail = JSON.readTree(preparer.send(HttpRequest.newBuilder(
                URI.create(baseUrl + "/api/products/" + item.path("slug").asText()))
            .header("Accept", "application/json")
            .GET(), 200).body());
        for (JsonNode sku : detail.path("skus")) {
          if ("UNIT".equals(sku.path("saleType").asText()) && sku.path("inStock").asBoolean() && codes.size() < max) {
            codes.add(sku.path("code").asText());
          }
        }
        if (codes.size() >= max) {
          break;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not read the catalog to choose SKUs: " + e.getMessage(), e);
    }
    return codes;
  }
}
