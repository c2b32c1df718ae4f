package ci.monepiceriz.load;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a shopper types at checkout, shared by the checkout and order-placement simulations:
 * the amount of a cart line as the SKU's rules allow it, and the {@code POST /api/orders} body
 * (pickup, or delivery to an Abidjan address), with Ivorian names and phone numbers written the
 * way people type them.
 */
final class Shoppers {

  /** Smallest subtotal (XOF) the shop delivers (PRODUCT.md §4, {@code shop.delivery.minimum-subtotal}). */
  static final long DELIVERY_MINIMUM = 3000;

  /** {@code number} of a placed order (PRODUCT.md §4): MER-YYYYMMDD-NNNN. */
  static final String ORDER_NUMBER = "MER-\\d{8}-\\d{4,}";

  private static final List<String> NAMES = List.of("Awa Koné", "Koffi Yao", "Aminata Traoré",
      "Jean-Baptiste Kouassi", "Fatou Bamba", "Adjoua N'Guessan", "Moussa Ouattara", "Marie-Claire Aka",
      "Ibrahim Diabaté", "Affoué Kouadio", "Serge Gbagbo", "Mariam Coulibaly", "Éric Tanoh", "Aïcha Cissé");

  // mobiles (01 Moov, 05 MTN, 07 Orange) typed with spaces, dots, dashes, +225 or nothing
  private static final List<String> PHONE_FORMATS =
      List.of("07 07 %02d %02d %02d", "0505%02d%02d%02d", "+225 01 02 %02d %02d %02d", "07.58.%02d.%02d.%02d",
          "05-46-%02d-%02d-%02d");

  private record Place(String address, double latitude, double longitude) {}

  private static final List<Place> PLACES = List.of(
      new Place("Cocody Riviera 2, rue des Jardins, villa 14", 5.3620, -3.9720),
      new Place("Plateau, avenue Chardy, immeuble Alpha 2000, 3e étage", 5.3220, -4.0190),
      new Place("Marcory Zone 4, rue Paul Langevin", 5.2990, -3.9830),
      new Place("Yopougon Selmer, près de la pharmacie", 5.3390, -4.0760),
      new Place("Treichville, avenue 12, rue 38", 5.2960, -4.0080),
      new Place("Angré 8e tranche, cité SIR", 5.3960, -3.9870));

  private Shoppers() {}

  static String name() {
    return NAMES.get(ThreadLocalRandom.current().nextInt(NAMES.size()));
  }

  static String phone() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String format = PHONE_FORMATS.get(random.nextInt(PHONE_FORMATS.size()));
    return String.format(Locale.ROOT, format, random.nextInt(100), random.nextInt(100), random.nextInt(100));
  }

  /**
   * JSON body of {@code PUT /api/carts/{token}/lines/{code}} for a SKU of a product detail
   * ({@code skus[]} entry): 1 to {@code maxQuantity} units of a UNIT SKU, the smallest orderable
   * weight ({@code minGrams}) of a WEIGHT SKU. Null when the SKU says neither.
   */
  static String lineBody(Map<String, Object> sku, int maxQuantity) {
    if ("WEIGHT".equals(sku.get("saleType"))) {
      Object minGrams = sku.get("minGrams");
      return minGrams instanceof Number grams ? "{\"grams\": " + grams.intValue() + "}" : null;
    }
    int quantity = 1 + ThreadLocalRandom.current().nextInt(Math.max(1, maxQuantity));
    return "{\"quantity\": " + quantity + "}";
  }

  /**
   * JSON body of {@code POST /api/orders}: delivery with probability {@code deliveryPct} % when
   * the subtotal reaches the delivery minimum, else pickup in store.
   */
  static String orderBody(String cartToken, long subtotal, double deliveryPct) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String fulfilment;
    if (subtotal >= DELIVERY_MINIMUM && random.nextDouble(100.0) < deliveryPct) {
      Place place = PLACES.get(random.nextInt(PLACES.size()));
      fulfilment = String.format(Locale.ROOT,
          "{\"type\": \"DELIVERY\", \"address\": %s, \"latitude\": %.4f, \"longitude\": %.4f, \"phone\": %s}",
          json(place.address()), place.latitude(), place.longitude(), json(phone()));
    } else {
      fulfilment = "{\"type\": \"PICKUP\"}";
    }
    return "{\"cartToken\": " + json(cartToken) + ", \"fulfilment\": " + fulfilment
        + ", \"customer\": {\"name\": " + json(name()) + ", \"phone\": " + json(phone()) + "}}";
  }

  /** A JSON string literal (the texts above have no control characters). */
  static String json(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Throws when {@code number} is not an order number; for Gatling's {@code validate} checks. */
  static String requireOrderNumber(String number) {
    if (number == null || !number.matches(ORDER_NUMBER)) {
      throw new IllegalArgumentException("order number '" + number + "' does not match " + ORDER_NUMBER);
    }
    return number;
  }

  /** The last path segment of a {@code Location} header: the cart token. */
  static String lastSegment(String location) {
    String path = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
