package ci.monepiceriz.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * UNIT SKUs in stock read from the storefront API, for an order-placement run without {@code
 * -DskuCodes}: plain blocking JDK HTTP client, before the run.
 */
final class SkuDiscovery {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SkuDiscovery() {}

  /**
   * Up to {@code max} UNIT SKUs in stock, from the details of the newest in-stock products: for a
   * run without {@code -DskuCodes}.
   */
  static List<String> unitSkusInStock(String baseUrl, int max) {
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    List<String> codes = new ArrayList<>();
    try {
      JsonNode page = get(client, baseUrl + "/api/products?inStock=true&sort=newest&limit=48");
      for (JsonNode item : page.path("items")) {
        JsonNode detail = get(client, baseUrl + "/api/products/" + item.path("slug").asText());
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the catalog", e);
    }
    return codes;
  }

  private static JsonNode get(HttpClient client, String url) throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
        .header("Accept", "application/json")
        .timeout(Duration.ofSeconds(30))
        .GET()
        .build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + url + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }
}
