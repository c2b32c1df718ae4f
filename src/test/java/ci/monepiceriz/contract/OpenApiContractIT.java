package ci.monepiceriz.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;

import ci.monepiceriz.cart.CartCheckout;
import ci.monepiceriz.shared.persistence.Transactions;
import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.ordering.domain.OrderStatus;
import ci.monepiceriz.payment.domain.XToken;
import ci.monepiceriz.support.CinetPayStub;
import ci.monepiceriz.support.IntegrationTest;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The published contract ({@code contracts/openapi.yaml}) against the real application:
 * every exchange below is validated, request and response, with Atlassian's
 * swagger-request-validator, and the spec's operations must be exactly the routes the
 * routers serve, each exercised here at least once.
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractIT {

	/** The contract, read from the working tree (failsafe runs in the project root). */
	static final Path SPEC = Path.of("contracts", "openapi.yaml");

	/**
	 * Every route the routers serve. The spec must document exactly these, and the
	 * routers must declare exactly these (checked by visiting them): a new route fails
	 * this test until it is documented, listed here and exercised below.
	 */
	static final Set<String> SERVED = Set.of("GET /api/categories", "GET /api/products", "GET /api/products/{slug}",
			"GET /api/skus/by-barcode/{ean}", "GET /api/catalog/export", "POST /api/carts", "GET /api/carts/{token}",
			"PUT /api/carts/{token}/lines/{skuCode}", "DELETE /api/carts/{token}/lines/{skuCode}",
			"POST /api/carts/{token}/delivery-quote", "POST /api/orders", "GET /api/orders/{number}",
			"GET /api/orders/{number}/events", "POST /api/orders/{number}/payments", "GET /api/payments/return",
			"POST /api/payments/return", "POST /api/webhooks/cinetpay", "GET /api/webhooks/cinetpay",
			"POST /api/webhooks/cinetpay/transfers", "GET /api/webhooks/cinetpay/transfers", "POST /api/webhooks/yango",
			"GET /api/health", "GET /api/openapi.yaml");

	private static final String WEIGHT_PRODUCT = "poisson-capitaine";

	private static final String UNIT_PRODUCT = "riz-parfume-jasmin";

	private static final String UNIT_BARCODE = "6180427000075";

	private static final String UNIT_SKU = "RIZ-PARF-5KG";

	private static final String WEIGHT_SKU = "POISSON-CAPITAINE-KG";

	/** 4 in stock in the demo catalog. */
	private static final String SCARCE_SKU = "RIZ-BRISE-50KG";

	@Autowired
	WebTestClient client;

	@Autowired
	JsonMapper json;

	@Autowired
	ApplicationContext context;

	@Autowired
	CartCheckout checkout;

	@Autowired
	Transactions transactions;

	@Autowired
	OrderingService ordering;

	private OpenAPI api;

	private OpenApiInteractionValidator validator;

	private SchemaValidator schemas;

	/** "METHOD /path/template" of the operations answered with a 2xx or 3xx here. */
	private final Set<String> exercised = ConcurrentHashMap.newKeySet();

	@BeforeAll
	void loadContract() throws IOException {
		// Parsed here, with the validator's own default options ($refs resolved fully,
		// combinators kept), rather than by createForSpecificationUrl, so that the 3.1
		// types
		// can be made visible to the validator first (see OpenApi31Types).
		ParseOptions options = new ParseOptions();
		options.setResolve(true);
		options.setResolveFully(true);
		options.setResolveCombinators(false);
		SwaggerParseResult parsed = new OpenAPIParser().readContents(Files.readString(SPEC), null, options);
		assertThat(parsed.getMessages()).as("problems parsing %s", SPEC).isEmpty();
		assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
		api = parsed.getOpenAPI();
		OpenApi31Types.applyTo(api);
		// The library's default level resolver turns one check off: query parameters the
		// spec
		// does not declare. It is turned back on (ERROR): a parameter a client sends that
		// the
		// contract does not document is a hole in the contract. Nothing is downgraded.
		LevelResolver levels = LevelResolver.create()
			.withLevel("validation.request.parameter.query.unexpected", ValidationReport.Level.ERROR)
			.build();
		validator = OpenApiInteractionValidator.createFor(api).withLevelResolver(levels).build();
		schemas = new SchemaValidator(api, new MessageResolver(levels));
	}

	// --- catalog
	// ------------------------------------------------------------------------

	@Test
	void categoriesAreATreeWithCacheHeaders() {
		Exchange categories = call(HttpMethod.GET, "/api/categories").header("X-Request-Id", "contract-categories-1")
			.send()
			.validated();
		assertThat(categories.status()).isEqualTo(200);
		assertThat(categories.header("X-Request-Id")).isEqualTo("contract-categories-1");
		JsonNode tree = categories.json();
		assertThat(tree.isArray()).isTrue();
		assertThat(tree.size()).isPositive();
		assertThat(tree.get(0).get("children").size()).isPositive();
	}

	@Test
	void firstPageOfProducts() {
		Exchange page = call(HttpMethod.GET, "/api/products").query("limit", "5").send().validated();
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.json().get("items").size()).isEqualTo(5);
		assertThat(page.json().get("nextCursor").isString()).isTrue();
	}

	@Test
	void filteredPageOfWeightProducts() {
		Exchange page = call(HttpMethod.GET, "/api/products").query("category", "poissons")
			.query("minPrice", "1000")
			.query("maxPrice", "5000")
			.query("inStock", "true")
			.query("tag", "frais")
			.query("sort", "price_asc")
			.query("limit", "10")
			.header("Accept-Language", "fr")
			.send()
			.validated();
		assertThat(page.status()).isEqualTo(200);
		JsonNode items = page.json().get("items");
		assertThat(items.size()).isPositive();
		for (JsonNode item : items) {
			assertThat(item.get("saleType").asString()).isEqualTo("WEIGHT");
			assertThat(item.get("priceUnit").asString()).isEqualTo("KG");
			assertThat(item.get("estimate").get("estimated").asBoolean()).isTrue();
		}
	}

	@Test
	void nextPageThroughTheCursor() {
		Exchange first = call(HttpMethod.GET, "/api/products").query("category", "frais")
			.query("sort", "price_desc")
			.query("limit", "3")
			.send()
			.validated();
		String cursor = first.json().get("nextCursor").asString();
		Exchange second = call(HttpMethod.GET, "/api/products").query("category", "frais")
			.query("sort", "price_desc")
			.query("limit", "3")
			.query("cursor", cursor)
			.send()
			.validated();
		assertThat(second.status()).isEqualTo(200);
		Set<String> firstSlugs = slugs(first.json().get("items"));
		Set<String> secondSlugs = slugs(second.json().get("items"));
		assertThat(secondSlugs).hasSize(3).doesNotContainAnyElementsOf(firstSlugs);
	}

	@Test
	void searchIgnoresAccentsUpToTheLastPage() {
		Exchange page = call(HttpMethod.GET, "/api/products").query("q", "epices")
			.query("limit", "100")
			.send()
			.validated();
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.json().get("items").size()).isPositive();
		// other test classes may have added synthetic products: follow the cursors to the
		// end
		for (int pages = 0; !page.json().get("nextCursor").isNull() && pages < 100; pages++) {
			page = call(HttpMethod.GET, "/api/products").query("q", "epices")
				.query("limit", "100")
				.query("cursor", page.json().get("nextCursor").asString())
				.send()
				.validated();
		}
		assertThat(page.json().get("nextCursor").isNull()).isTrue();
		Exchange accented = call(HttpMethod.GET, "/api/products").query("q", "épices")
			.header("Accept-Language", "en")
			.send()
			.validated();
		assertThat(accented.status()).isEqualTo(200);
	}

	@Test
	void unitProductDetail() {
		Exchange product = call(HttpMethod.GET, "/api/products/{slug}", UNIT_PRODUCT).send().validated();
		assertThat(product.status()).isEqualTo(200);
		JsonNode sku = product.json().get("skus").get(0);
		assertThat(sku.get("unitPrice").asLong()).isEqualTo(4500);
		assertThat(sku.has("pricePerKg")).isFalse();
		assertThat(sku.has("estimate")).isFalse();
	}

	@Test
	void weightProductDetailWithItsEstimate() {
		Exchange product = call(HttpMethod.GET, "/api/products/{slug}", WEIGHT_PRODUCT).send().validated();
		assertThat(product.status()).isEqualTo(200);
		JsonNode sku = product.json().get("skus").get(0);
		assertThat(sku.get("pricePerKg").asLong()).isEqualTo(4000);
		assertThat(sku.get("estimate").toString()).isEqualTo("{\"grams\":500,\"amount\":2000,\"estimated\":true}");
		assertThat(sku.has("unitPrice")).isFalse();
		// no barcode, no average piece weight: both absent, not null
		Exchange shrimps = call(HttpMethod.GET, "/api/products/{slug}", "crevettes-fraiches").send().validated();
		JsonNode shrimpSku = shrimps.json().get("skus").get(0);
		assertThat(shrimpSku.has("barcode")).isFalse();
		assertThat(shrimpSku.has("averagePieceGrams")).isFalse();
	}

	@Test
	void barcodeHit() {
		Exchange match = call(HttpMethod.GET, "/api/skus/by-barcode/{ean}", UNIT_BARCODE).send().validated();
		assertThat(match.status()).isEqualTo(200);
		assertThat(match.json().get("product").get("slug").asString()).isEqualTo(UNIT_PRODUCT);
	}

	@Test
	void invalidBarcodeIsA400() {
		// 13 digits, wrong check digit: a request the contract allows, refused by the
		// service
		Exchange checkDigit = call(HttpMethod.GET, "/api/skus/by-barcode/{ean}", "6180427000076").send().validated();
		assertThat(checkDigit.status()).isEqualTo(400);
		assertThat(checkDigit.json().get("code").asString()).isEqualTo("invalid-barcode");
		// not even 13 digits: the request breaks the contract, the answer must still keep
		// it
		Exchange letters = call(HttpMethod.GET, "/api/skus/by-barcode/{ean}", "riz").send().responseValidated();
		assertThat(letters.status()).isEqualTo(400);
	}

	@Test
	void unknownBarcodeIsA404() {
		Exchange unknown = call(HttpMethod.GET, "/api/skus/by-barcode/{ean}", "6180427999997").send().validated();
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.json().get("code").asString()).isEqualTo("barcode-not-found");
	}

	@Test
	void unknownProductIsA404InTheCallersLanguage() {
		Exchange french = call(HttpMethod.GET, "/api/products/{slug}", "riz-de-mars").send().validated();
		assertThat(french.status()).isEqualTo(404);
		assertThat(french.json().get("title").asString()).isEqualTo("Produit introuvable");
		assertThat(french.header(HttpHeaders.CONTENT_LANGUAGE)).isEqualTo("fr");
		Exchange english = call(HttpMethod.GET, "/api/products/{slug}", "riz-de-mars").header("Accept-Language", "en")
			.send()
			.validated();
		assertThat(english.status()).isEqualTo(404);
		assertThat(english.json().get("title").asString()).isEqualTo("Product not found");
		assertThat(english.header(HttpHeaders.CONTENT_LANGUAGE)).isEqualTo("en");
	}

	@Test
	void badParametersAreOne400NamingEachOfThem() {
		Exchange french = call(HttpMethod.GET, "/api/products").query("limit", "0")
			.query("sort", "cheapest")
			.query("minPrice", "-1")
			.query("inStock", "yes")
			.send()
			.responseValidated();
		assertThat(french.status()).isEqualTo(400);
		assertThat(french.json().get("title").asString()).isEqualTo("Paramètres invalides");
		assertThat(errorNames(french)).containsExactlyInAnyOrder("limit", "sort", "minPrice", "inStock");
		assertThat(french.header(HttpHeaders.CONTENT_LANGUAGE)).isEqualTo("fr");

		Exchange english = call(HttpMethod.GET, "/api/products").query("limit", "0")
			.query("sort", "cheapest")
			.header("Accept-Language", "en")
			.send()
			.responseValidated();
		assertThat(english.status()).isEqualTo(400);
		assertThat(english.json().get("title").asString()).isEqualTo("Invalid parameters");
		assertThat(english.json().get("errors").get(0).get("detail").asString()).startsWith("must be");
		assertThat(english.header(HttpHeaders.CONTENT_LANGUAGE)).isEqualTo("en");
	}

	@Test
	void parametersTheContractAllowsCanStillBeRefused() {
		// unknown category, a cursor of another sort, maxPrice below minPrice: each
		// request
		// keeps the contract, and each 400 too
		Exchange category = call(HttpMethod.GET, "/api/products").query("category", "poisons").send().validated();
		assertThat(category.status()).isEqualTo(400);
		assertThat(errorNames(category)).containsExactly("category");

		String nameCursor = call(HttpMethod.GET, "/api/products").query("limit", "1")
			.send()
			.validated()
			.json()
			.get("nextCursor")
			.asString();
		Exchange cursor = call(HttpMethod.GET, "/api/products").query("sort", "newest")
			.query("cursor", nameCursor)
			.send()
			.validated();
		assertThat(cursor.status()).isEqualTo(400);
		assertThat(errorNames(cursor)).containsExactly("cursor");

		Exchange prices = call(HttpMethod.GET, "/api/products").query("minPrice", "5000")
			.query("maxPrice", "1000")
			.header("Accept-Language", "en")
			.send()
			.validated();
		assertThat(prices.status()).isEqualTo(400);
		assertThat(errorNames(prices)).containsExactly("maxPrice");
	}

	@Test
	void notModifiedWhenTheClientHasTheCurrentTag() {
		Exchange product = call(HttpMethod.GET, "/api/products/{slug}", WEIGHT_PRODUCT).send().validated();
		String etag = product.header(HttpHeaders.ETAG);
		Exchange again = call(HttpMethod.GET, "/api/products/{slug}", WEIGHT_PRODUCT).header("If-None-Match", etag)
			.send()
			.validated();
		assertThat(again.status()).isEqualTo(304);
		assertThat(again.body()).isEmpty();
		assertThat(again.header(HttpHeaders.ETAG)).isEqualTo(etag);

		Exchange categories = call(HttpMethod.GET, "/api/categories").send().validated();
		Exchange categoriesAgain = call(HttpMethod.GET, "/api/categories")
			.header("If-None-Match", "\"someOtherTag\", " + categories.header(HttpHeaders.ETAG))
			.send()
			.validated();
		assertThat(categoriesAgain.status()).isEqualTo(304);
	}

	@Test
	void exportStreamsOneProductDetailPerLine() {
		Exchange export = call(HttpMethod.GET, "/api/catalog/export").send().validated();
		assertThat(export.status()).isEqualTo(200);
		String[] lines = new String(export.body(), StandardCharsets.UTF_8).split("\n");
		assertThat(lines.length).isPositive();
		Schema<?> productDetail = api.getComponents().getSchemas().get("ProductDetail");
		List<String> errors = new ArrayList<>();
		Set<String> slugs = new LinkedHashSet<>();
		for (int i = 0; i < lines.length; i++) {
			for (ValidationReport.Message message : schemas.validate(lines[i], productDetail, "response.body")
				.getMessages()) {
				if (message.getLevel() == ValidationReport.Level.ERROR) {
					errors.add("line " + (i + 1) + ": " + message.getMessage());
				}
			}
			slugs.add(json.readTree(lines[i]).get("slug").asString());
		}
		assertThat(errors).as("export lines that are not ProductDetail documents").isEmpty();
		assertThat(slugs).as("each product once").hasSize(lines.length).contains(UNIT_PRODUCT, WEIGHT_PRODUCT);
	}

	// --- carts
	// --------------------------------------------------------------------------

	@Test
	void aCartFromCreationToDeliveryQuote() {
		Exchange created = call(HttpMethod.POST, "/api/carts").send().validated();
		assertThat(created.status()).isEqualTo(201);
		String token = created.json().get("token").asString();
		assertThat(created.header(HttpHeaders.LOCATION)).isEqualTo("/api/carts/" + token);

		Exchange unit = call(HttpMethod.PUT, "/api/carts/{token}/lines/{skuCode}", token, UNIT_SKU)
			.json("{\"quantity\": 2}")
			.send()
			.validated();
		assertThat(unit.status()).isEqualTo(200);
		Exchange weight = call(HttpMethod.PUT, "/api/carts/{token}/lines/{skuCode}", token, WEIGHT_SKU)
			.json("{\"grams\": 1500}")
			.send()
			.validated();
		assertThat(weight.status()).isEqualTo(200);
		assertThat(weight.json().get("subtotal").asLong()).isEqualTo(9000 + 6000);

		Exchange read = call(HttpMethod.GET, "/api/carts/{token}", token).send().validated();
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.header(HttpHeaders.CACHE_CONTROL)).isEqualTo("no-store");
		assertThat(read.json().get("lines").size()).isEqualTo(2);

		Exchange quote = call(HttpMethod.POST, "/api/carts/{token}/delivery-quote", token)
			.json("{\"address\": \"Rue des Jardins, Cocody\", \"latitude\": 5.35, \"longitude\": -4.01}")
			.send()
			.validated();
		assertThat(quote.status()).isEqualTo(200);
		assertThat(quote.json().get("deliveryAvailable").asBoolean()).isTrue();
		Exchange quoted = call(HttpMethod.GET, "/api/carts/{token}", token).send().validated();
		assertThat(quoted.json().get("deliveryQuote")).isEqualTo(quote.json());

		Exchange removed = call(HttpMethod.DELETE, "/api/carts/{token}/lines/{skuCode}", token, UNIT_SKU).send()
			.validated();
		assertThat(removed.status()).isEqualTo(200);
		assertThat(removed.json().get("lines").size()).isEqualTo(1);
		assertThat(removed.json().at("/deliveryQuote/fee").asLong()).isEqualTo(quote.json().get("fee").asLong());
	}

	@Test
	void cartProblemsKeepTheContract() {
		Exchange unknown = call(HttpMethod.GET, "/api/carts/{token}", "A".repeat(43)).header("Accept-Language", "en")
			.send()
			.validated();
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.json().get("code").asString()).isEqualTo("cart-not-found");
		Exchange malformedToken = call(HttpMethod.GET, "/api/carts/{token}", "abc").send().responseValidated();
		assertThat(malformedToken.status()).isEqualTo(404);

		String token = call(HttpMethod.POST, "/api/carts").send().validated().json().get("token").asString();
		String line = "/api/carts/{token}/lines/{skuCode}";
		Exchange offStep = call(HttpMethod.PUT, line, token, WEIGHT_SKU).json("{\"grams\": 1300}").send().validated();
		assertThat(offStep.status()).isEqualTo(400);
		assertThat(errorNames(offStep)).containsExactly("grams");
		Exchange zero = call(HttpMethod.PUT, line, token, UNIT_SKU).json("{\"quantity\": 0}")
			.send()
			.responseValidated();
		assertThat(zero.status()).isEqualTo(400);
		Exchange malformed = call(HttpMethod.PUT, line, token, UNIT_SKU).json("{\"quantity\":")
			.send()
			.responseValidated();
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.json().get("code").asString()).isEqualTo("malformed-request");
		Exchange text = call(HttpMethod.PUT, line, token, UNIT_SKU)
			.body("quantity=2".getBytes(StandardCharsets.UTF_8), MediaType.TEXT_PLAIN)
			.send()
			.responseValidated();
		assertThat(text.status()).isEqualTo(415);
		Exchange sku = call(HttpMethod.PUT, line, token, "RIZ-DE-MARS").json("{\"quantity\": 1}").send().validated();
		assertThat(sku.status()).isEqualTo(404);
		assertThat(sku.json().get("code").asString()).isEqualTo("sku-not-found");
		Exchange stock = call(HttpMethod.PUT, line, token, SCARCE_SKU).json("{\"quantity\": 5}").send().validated();
		assertThat(stock.status()).isEqualTo(409);
		assertThat(stock.json().get("code").asString()).isEqualTo("insufficient-stock");
		Exchange quote = call(HttpMethod.POST, "/api/carts/{token}/delivery-quote", token).json("{\"latitude\": 95}")
			.send()
			.responseValidated();
		assertThat(quote.status()).isEqualTo(400);
		assertThat(errorNames(quote)).containsExactlyInAnyOrder("address", "latitude", "longitude");

		call(HttpMethod.PUT, line, token, UNIT_SKU).json("{\"quantity\": 1}").send().validated();
		transactions.inTransaction(checkout.checkOut(token)).block();
		Exchange ordered = call(HttpMethod.DELETE, line, token, UNIT_SKU).send().validated();
		assertThat(ordered.status()).isEqualTo(409);
		assertThat(ordered.json().get("code").asString()).isEqualTo("cart-already-ordered");
		Exchange orderedRead = call(HttpMethod.GET, "/api/carts/{token}", token).send().validated();
		assertThat(orderedRead.json().get("ordered").asBoolean()).isTrue();
		assertThat(orderedRead.json().has("deliveryQuote")).isFalse();
		Exchange orderedQuote = call(HttpMethod.POST, "/api/carts/{token}/delivery-quote", token)
			.json("{\"address\": \"Cocody\", \"latitude\": 5.35, \"longitude\": -4.01}")
			.send()
			.validated();
		assertThat(orderedQuote.status()).isEqualTo(409);
		assertThat(orderedQuote.json().get("code").asString()).isEqualTo("cart-already-ordered");
	}

	// --- orders
	// -------------------------------------------------------------------------

	@Test
	void anOrderFromPlacementToItsEventsAndItsProblems() {
		String cart = call(HttpMethod.POST, "/api/carts").send().validated().json().get("token").asString();
		String line = "/api/carts/{token}/lines/{skuCode}";
		call(HttpMethod.PUT, line, cart, UNIT_SKU).json("{\"quantity\": 1}").send().validated();
		call(HttpMethod.PUT, line, cart, WEIGHT_SKU).json("{\"grams\": 1500}").send().validated();
		String pickup = "{\"cartToken\": \"" + cart
				+ "\", \"fulfilment\": {\"type\": \"PICKUP\"}, \"customer\": {\"name\": \"Awa Koné\", \"phone\": \"07 07 12 34 56\"}}";
		String key = UUID.randomUUID().toString();

		Exchange placed = call(HttpMethod.POST, "/api/orders").header("Idempotency-Key", key)
			.json(pickup)
			.send()
			.validated();
		assertThat(placed.status()).isEqualTo(201);
		String number = placed.json().get("number").asString();
		String access = placed.json().get("accessToken").asString();
		Exchange replayed = call(HttpMethod.POST, "/api/orders").header("Idempotency-Key", key)
			.json(pickup)
			.send()
			.validated();
		assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");

		Exchange shown = call(HttpMethod.GET, "/api/orders/{number}", number)
			.header("Authorization", "Bearer " + access)
			.send()
			.validated();
		assertThat(shown.status()).isEqualTo(200);
		Exchange hidden = call(HttpMethod.GET, "/api/orders/{number}", number).query("accessToken", "H".repeat(43))
			.send()
			.validated();
		assertThat(hidden.status()).isEqualTo(404);

		Exchange reused = call(HttpMethod.POST, "/api/orders").header("Idempotency-Key", key)
			.json(pickup.replace("Awa Koné", "Awa K."))
			.send()
			.validated();
		assertThat(reused.status()).isEqualTo(422);
		Exchange again = call(HttpMethod.POST, "/api/orders").header("Idempotency-Key", UUID.randomUUID().toString())
			.json(pickup)
			.send()
			.validated();
		assertThat(again.status()).isEqualTo(409);
		Exchange keyless = call(HttpMethod.POST, "/api/orders").json(pickup).send().responseValidated();
		assertThat(keyless.status()).isEqualTo(400);
		Exchange unknown = call(HttpMethod.POST, "/api/orders").header("Idempotency-Key", UUID.randomUUID().toString())
			.json(pickup.replace(cart, "J".repeat(43)))
			.send()
			.validated();
		assertThat(unknown.status()).isEqualTo(422);

		ordering.transition(number, OrderStatus.CANCELLED, "staff:contract-test", "test", Optional.empty()).block();
		Exchange events = call(HttpMethod.GET, "/api/orders/{number}/events", number)
			.header("Authorization", "Bearer " + access)
			.send()
			.validated();
		assertThat(events.status()).isEqualTo(200);
		assertThat(events.text()).contains("event:status").contains("\"status\":\"CANCELLED\"");
		Exchange eventsHidden = call(HttpMethod.GET, "/api/orders/{number}/events", number).send().validated();
		assertThat(eventsHidden.status()).isEqualTo(404);
	}

	// --- payments
	// -----------------------------------------------------------------------

	@Test
	void aPaymentFromItsStartToTheReturnPageAndItsProblems() {
		String cart = call(HttpMethod.POST, "/api/carts").send().validated().json().get("token").asString();
		call(HttpMethod.PUT, "/api/carts/{token}/lines/{skuCode}", cart, UNIT_SKU).json("{\"quantity\": 1}")
			.send()
			.validated();
		String pickup = "{\"cartToken\": \"" + cart
				+ "\", \"fulfilment\": {\"type\": \"PICKUP\"}, \"customer\": {\"name\": \"Awa Koné\", \"phone\": \"07 07 12 34 56\"}}";
		Exchange placed = call(HttpMethod.POST, "/api/orders").header("Idempotency-Key", UUID.randomUUID().toString())
			.json(pickup)
			.send()
			.validated();
		String number = placed.json().get("number").asString();
		String access = placed.json().get("accessToken").asString();
		String payments = "/api/orders/{number}/payments";

		Exchange keyless = call(HttpMethod.POST, payments, number).header("Authorization", "Bearer " + access)
			.send()
			.responseValidated();
		assertThat(keyless.status()).isEqualTo(400);
		Exchange hidden = call(HttpMethod.POST, payments, number)
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.query("accessToken", "H".repeat(43))
			.send()
			.validated();
		assertThat(hidden.status()).isEqualTo(404);

		// CinetPay down for this order: 503, then the retry opens the payment
		WireMockServer cinetPay = CinetPayStub.server();
		StubMapping down = cinetPay.stubFor(WireMock.post(WireMock.urlPathEqualTo("/v2/payment"))
			.atPriority(1)
			.withRequestBody(WireMock.matchingJsonPath("$.metadata", WireMock.equalTo(number)))
			.willReturn(WireMock.aResponse().withStatus(503)));
		String key = UUID.randomUUID().toString();
		Exchange unavailable;
		try {
			unavailable = call(HttpMethod.POST, payments, number).header("Idempotency-Key", key)
				.header("Authorization", "Bearer " + access)
				.send()
				.validated();
		}
		finally {
			cinetPay.removeStub(down);
		}
		assertThat(unavailable.status()).isEqualTo(503);
		assertThat(unavailable.header("Retry-After")).isNotBlank();

		Exchange started = call(HttpMethod.POST, payments, number).header("Idempotency-Key", key)
			.header("Authorization", "Bearer " + access)
			.send()
			.validated();
		assertThat(started.status()).isEqualTo(201);
		String transactionId = started.json().get("transactionId").asString();
		Exchange replayed = call(HttpMethod.POST, payments, number).header("Idempotency-Key", key)
			.header("Authorization", "Bearer " + access)
			.send()
			.validated();
		assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
		Exchange open = call(HttpMethod.POST, payments, number).header("Idempotency-Key", UUID.randomUUID().toString())
			.query("accessToken", access)
			.send()
			.validated();
		assertThat(open.status()).isEqualTo(200);
		assertThat(open.json().get("transactionId").asString()).isEqualTo(transactionId);

		Exchange shown = call(HttpMethod.GET, "/api/payments/return").query("transactionId", transactionId)
			.send()
			.validated();
		assertThat(shown.status()).isEqualTo(200);
		assertThat(shown.json().get("attemptStatus").asString()).isEqualTo("OPEN");
		Exchange unknown = call(HttpMethod.GET, "/api/payments/return").query("transactionId", "MER-20000101-0001-X")
			.send()
			.validated();
		assertThat(unknown.status()).isEqualTo(404);
		Exchange missing = call(HttpMethod.GET, "/api/payments/return").send().responseValidated();
		assertThat(missing.status()).isEqualTo(400);
		Exchange posted = call(HttpMethod.POST, "/api/payments/return")
			.body(("transaction_id=" + transactionId + "&status=ACCEPTED").getBytes(StandardCharsets.UTF_8),
					MediaType.APPLICATION_FORM_URLENCODED)
			.send()
			.validated();
		assertThat(posted.status()).isEqualTo(200);
		assertThat(posted.json().get("attemptStatus").asString()).isEqualTo("OPEN");
		Exchange postedByQuery = call(HttpMethod.POST, "/api/payments/return").query("transactionId", transactionId)
			.send()
			.validated();
		assertThat(postedByQuery.status()).isEqualTo(200);
		Exchange postedUnknown = call(HttpMethod.POST, "/api/payments/return")
			.body("cpm_trans_id=MER-20000101-0001-X".getBytes(StandardCharsets.UTF_8),
					MediaType.APPLICATION_FORM_URLENCODED)
			.send()
			.validated();
		assertThat(postedUnknown.status()).isEqualTo(404);
		Exchange byToken = call(HttpMethod.GET, "/api/payments/return").query("token", "tok-unknown-1")
			.send()
			.validated();
		assertThat(byToken.status()).isEqualTo(404);

		// CinetPay's notifications: unsigned, check down, then settled (and its ping)
		String form = "cpm_site_id=" + CinetPayStub.SITE_ID + "&cpm_trans_id=" + transactionId
				+ "&cpm_amount=5000&cpm_currency=XOF&cpm_error_message=SUCCES";
		String token = XToken.of("it-secret-key", Map.of("cpm_site_id", CinetPayStub.SITE_ID, "cpm_trans_id",
				transactionId, "cpm_amount", "5000", "cpm_currency", "XOF", "cpm_error_message", "SUCCES"));
		Exchange unsigned = call(HttpMethod.POST, "/api/webhooks/cinetpay")
			.body(form.getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_FORM_URLENCODED)
			.send()
			.validated();
		assertThat(unsigned.status()).isEqualTo(401);
		// the new API's shape (JSON, notify_token): not how this (legacy) configuration
		// verifies
		Exchange unverifiedJson = call(HttpMethod.POST, "/api/webhooks/cinetpay")
			.json("{\"merchant_transaction_id\": \"" + transactionId
					+ "\", \"notify_token\": \"nt-1\", \"status\": \"SUCCESS\"}")
			.send()
			.validated();
		assertThat(unverifiedJson.status()).isEqualTo(401);
		Exchange notAnObject = call(HttpMethod.POST, "/api/webhooks/cinetpay").json("[1, 2]")
			.send()
			.responseValidated();
		assertThat(notAnObject.status()).isEqualTo(400);
		StubMapping checkDown = cinetPay.stubFor(WireMock.post(WireMock.urlPathEqualTo("/v2/payment/check"))
			.atPriority(1)
			.withRequestBody(WireMock.matchingJsonPath("$.transaction_id", WireMock.equalTo(transactionId)))
			.willReturn(WireMock.aResponse().withStatus(503)));
		Exchange checkUnavailable;
		try {
			checkUnavailable = call(HttpMethod.POST, "/api/webhooks/cinetpay").header("x-token", token)
				.body(form.getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_FORM_URLENCODED)
				.send()
				.validated();
		}
		finally {
			cinetPay.removeStub(checkDown);
		}
		assertThat(checkUnavailable.status()).isEqualTo(503);
		assertThat(checkUnavailable.header("Retry-After")).isNotBlank();
		StubMapping pending = cinetPay.stubFor(WireMock.post(WireMock.urlPathEqualTo("/v2/payment/check"))
			.atPriority(1)
			.withRequestBody(WireMock.matchingJsonPath("$.transaction_id", WireMock.equalTo(transactionId)))
			.willReturn(WireMock.okJson("""
					{"code":"623","message":"WAITING_CUSTOMER_TO_VALIDATE","data":{"amount":"5000","currency":"XOF",
					 "status":null,"payment_method":"OM","description":"d","metadata":"m","operator_id":null,
					 "payment_date":" ","fund_availability_date":" "},"api_response_id":"1"}
					""")));
		Exchange handled;
		try {
			handled = call(HttpMethod.POST, "/api/webhooks/cinetpay").header("x-token", token)
				.body(form.getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_FORM_URLENCODED)
				.send()
				.validated();
		}
		finally {
			cinetPay.removeStub(pending);
		}
		assertThat(handled.status()).isEqualTo(200);
		assertThat(call(HttpMethod.GET, "/api/webhooks/cinetpay").send().validated().status()).isEqualTo(200);

		// CinetPay's transfer notifications: unsigned, never believed (RefundPayoutsIT),
		// 200
		Exchange transfer = call(HttpMethod.POST, "/api/webhooks/cinetpay/transfers")
			.body("client_transaction_id=MER-20990101-0001-RUNKNOWN&treatment_status=VAL&amount=5000"
				.getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_FORM_URLENCODED)
			.send()
			.validated();
		assertThat(transfer.status()).isEqualTo(200);
		assertThat(call(HttpMethod.GET, "/api/webhooks/cinetpay/transfers").send().validated().status()).isEqualTo(200);

		// Yango's claim callback: a trigger for claims of ours only (YangoClaimsIT)
		String claim = "contract-claim-" + UUID.randomUUID();
		context.getBean(DatabaseClient.class)
			.sql("""
					INSERT INTO delivery_claim (order_number, request, request_id, claim_id, state, created_at, updated_at)
					VALUES (:number, '{}', :requestId, :claim, 'TRACKING', now(), now())
					""")
			.bind("number", number)
			.bind("requestId", UUID.randomUUID().toString())
			.bind("claim", claim)
			.fetch()
			.rowsUpdated()
			.block();
		assertThat(call(HttpMethod.POST, "/api/webhooks/yango").query("updated_ts", "2026-11-24T10:00:00+00:00")
			.query("claim_id", claim)
			.send()
			.validated()
			.status()).isEqualTo(200);
		Exchange notOurs = call(HttpMethod.POST, "/api/webhooks/yango").query("claim_id", "not-ours")
			.send()
			.validated();
		assertThat(notOurs.status()).isEqualTo(404);
		assertThat(notOurs.json().get("code").asString()).isEqualTo("unknown-claim");

		ordering.transition(number, OrderStatus.CANCELLED, "staff:contract-test", "test", Optional.empty()).block();
		Exchange cancelled = call(HttpMethod.POST, payments, number)
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.header("Authorization", "Bearer " + access)
			.send()
			.validated();
		assertThat(cancelled.status()).isEqualTo(409);
		assertThat(cancelled.json().get("code").asString()).isEqualTo("order-not-payable");
	}

	// --- operations and contract
	// --------------------------------------------------------

	@Test
	void health() {
		Exchange health = call(HttpMethod.GET, "/api/health").send().validated();
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json().get("status").asString()).isEqualTo("healthy");
	}

	@Test
	void servesThisContract() throws IOException {
		Exchange contract = call(HttpMethod.GET, "/api/openapi.yaml").send().validated();
		assertThat(contract.status()).isEqualTo(200);
		assertThat(contract.header(HttpHeaders.CONTENT_TYPE)).startsWith("application/yaml");
		assertThat(new String(contract.body(), StandardCharsets.UTF_8)).isEqualTo(Files.readString(SPEC));
	}

	// --- the edge: routes and methods the spec cannot list
	// --------------------------------

	@Test
	void unknownRouteIsAProblem() {
		Exchange unknown = call(HttpMethod.GET, "/api/nope").send();
		assertThat(unknown.status()).isEqualTo(404);
		unknown.conformsTo("NotFound");
		assertThat(unknown.json().get("code").asString()).isEqualTo("route-not-found");
	}

	/**
	 * RFC 9110: a method the target resource does not support is a 405 with
	 * {@code Allow}. The edge handler has the problem type and sets {@code Allow}, but
	 * the functional routers answer such requests 404 ({@code route-not-found}) today.
	 */
	@Test
	void methodNotAllowedOnAServedPath() {
		Exchange post = call(HttpMethod.POST, "/api/products").send();
		assertThat(post.status()).as("POST on a GET-only path; body: %s", post.text()).isEqualTo(405);
		post.conformsTo("MethodNotAllowed");
		assertThat(post.header(HttpHeaders.ALLOW)).contains("GET");
		assertThat(post.json().get("code").asString()).isEqualTo("method-not-allowed");
	}

	@Test
	void bodyAboveTheLimitIsA413() {
		Exchange tooLarge = call(HttpMethod.GET, "/api/products").body(new byte[300 * 1024]).send().responseValidated();
		assertThat(tooLarge.status()).isEqualTo(413);
		assertThat(tooLarge.json().get("code").asString()).isEqualTo("payload-too-large");
	}

	// --- the contract itself
	// --------------------------------------------------------------

	/**
	 * Guards the 3.1 type normalization: without it the validator would accept anything.
	 */
	@Test
	void validatorRejectsWhatTheContractForbids() {
		String good = """
				{"sku":{"code":"RIZ-PARF-5KG","barcode":"6180427000075","label":"Sac 5 kg","saleType":"UNIT",\
				"unitPrice":4500,"inStock":true,"lowStock":false},"product":{"slug":"riz-parfume-jasmin",\
				"name":"Riz parfumé jasmin"}}""";
		assertThat(errorsOfBarcodeMatch(good)).isEmpty();
		assertThat(errorsOfBarcodeMatch(good.replace("4500", "\"4500\""))).isNotEmpty();
		assertThat(errorsOfBarcodeMatch(good.replace("4500", "4500.5"))).isNotEmpty();
		assertThat(errorsOfBarcodeMatch(good.replace("\"UNIT\"", "\"BULK\""))).isNotEmpty();
		assertThat(errorsOfBarcodeMatch(good.replace(",\"lowStock\":false", ""))).isNotEmpty();
		assertThat(errorsOfBarcodeMatch(good.replace("\"lowStock\":false", "\"lowStock\":false,\"stock\":120")))
			.isNotEmpty();
		assertThat(errorsOfBarcodeMatch(good.replace("\"barcode\":\"6180427000075\"", "\"barcode\":null")))
			.as("absent fields are never null")
			.isNotEmpty();
		assertThat(errorsOfBarcodeMatch(good.replace("jasmin\"}}", "jasmin\",\"image\":\"x.jpg\"}}"))).isNotEmpty();
		String page = "{\"items\":[],\"nextCursor\":%s}";
		assertThat(errors(validator.validateResponse("/api/products", Request.Method.GET,
				jsonResponse(200, page.formatted("null")))))
			.isEmpty();
		assertThat(errors(validator.validateResponse("/api/products", Request.Method.GET,
				jsonResponse(200, page.formatted("5")))))
			.isNotEmpty();
		assertThat(errors(validator.validateRequest(productsWith("limit", "24")))).isEmpty();
		assertThat(errors(validator.validateRequest(productsWith("limit", "101")))).isNotEmpty();
		assertThat(errors(validator.validateRequest(productsWith("minPrice", "1.5")))).isNotEmpty();
		assertThat(errors(validator.validateRequest(productsWith("sort", "PRICE_ASC")))).isNotEmpty();
		assertThat(errors(validator.validateRequest(productsWith("inStock", "yes")))).isNotEmpty();
		assertThat(errors(validator.validateRequest(productsWith("colour", "red"))))
			.as("undocumented query parameters are errors")
			.isNotEmpty();
		String cart = """
				{"lines":[{"skuCode":"RIZ-PARF-5KG","productSlug":"riz-parfume-jasmin","productName":"Riz parfumé jasmin",\
				"label":"Sac 5 kg","saleType":"UNIT","quantity":2,"unitPrice":4500,"amount":9000,"estimated":false,\
				"availability":"AVAILABLE"}],"subtotal":9000,"estimated":false,"itemCount":2,"fulfilmentOptions":\
				[{"type":"PICKUP","available":true},{"type":"DELIVERY","available":true,"minimumSubtotal":3000}],\
				"ordered":false,"expiresAt":"2026-12-01T08:15:02.417352Z"}""";
		assertThat(errorsOfCart(cart)).isEmpty();
		assertThat(errorsOfCart(cart.replace("\"AVAILABLE\"", "\"SOLD_OUT\""))).isNotEmpty();
		assertThat(errorsOfCart(cart.replace("\"amount\":9000", "\"amount\":\"9000\""))).isNotEmpty();
		assertThat(errorsOfCart(cart.replace(",\"itemCount\":2", ""))).isNotEmpty();
		assertThat(errorsOfCart(cart.replace("\"ordered\":false", "\"ordered\":false,\"token\":null"))).isNotEmpty();
		String token = "hX3kq9Vd0mR7cT2bW8nYpLs4aE6uJ1fGzKoQiN5vDxw";
		assertThat(errorsOfCreatedCart(cart, token)).as("a created cart has its token").isNotEmpty();
		assertThat(errorsOfCreatedCart(cart.replace("{\"lines\"", "{\"token\":\"" + token + "\",\"lines\""), token))
			.isEmpty();
	}

	private List<String> errorsOfCreatedCart(String body, String token) {
		return errors(validator.validateResponse("/api/carts", Request.Method.POST,
				SimpleResponse.Builder.status(201)
					.withContentType("application/json")
					.withHeader("Location", "/api/carts/" + token)
					.withHeader("Cache-Control", "no-store")
					.withHeader("X-Request-Id", "contract-test")
					.withHeader("X-Frame-Options", "SAMEORIGIN")
					.withHeader("X-Content-Type-Options", "nosniff")
					.withHeader("Referrer-Policy", "strict-origin-when-cross-origin")
					.withHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
					.withBody(body)
					.build()));
	}

	private List<String> errorsOfCart(String body) {
		return errors(validator.validateResponse("/api/carts/" + "A".repeat(43), Request.Method.GET,
				SimpleResponse.Builder.status(200)
					.withContentType("application/json")
					.withHeader("Cache-Control", "no-store")
					.withHeader("X-Request-Id", "contract-test")
					.withHeader("X-Frame-Options", "SAMEORIGIN")
					.withHeader("X-Content-Type-Options", "nosniff")
					.withHeader("Referrer-Policy", "strict-origin-when-cross-origin")
					.withHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
					.withBody(body)
					.build()));
	}

	private static SimpleRequest productsWith(String parameter, String value) {
		return SimpleRequest.Builder.get("/api/products").withQueryParam(parameter, value).build();
	}

	@Test
	void everyExampleKeepsTheContract() {
		List<String> errors = new ArrayList<>();
		Map<String, ApiResponse> responses = new LinkedHashMap<>();
		api.getComponents().getResponses().forEach((name, response) -> responses.put("components " + name, response));
		api.getPaths()
			.forEach((path, item) -> item.readOperationsMap()
				.forEach((method, operation) -> operation.getResponses()
					.forEach((status, response) -> responses.put(method + " " + path + " " + status, response))));
		int checked = 0;
		for (Map.Entry<String, ApiResponse> response : responses.entrySet()) {
			Content content = response.getValue().getContent();
			if (content == null) {
				continue;
			}
			for (Map.Entry<String, io.swagger.v3.oas.models.media.MediaType> media : content.entrySet()) {
				Map<String, Example> examples = media.getValue().getExamples();
				assertThat(examples).as("examples of %s %s", response.getKey(), media.getKey()).isNotEmpty();
				for (Map.Entry<String, Example> example : examples.entrySet()) {
					String where = response.getKey() + " " + media.getKey() + " " + example.getKey();
					for (String message : exampleErrors(media.getKey(), media.getValue().getSchema(),
							example.getValue().getValue())) {
						errors.add(where + ": " + message);
					}
					checked++;
				}
			}
		}
		assertThat(errors).as("examples that break the contract").isEmpty();
		assertThat(checked).isPositive();
	}

	@Test
	void theContractDocumentsExactlyTheServedRoutes() {
		assertThat(operations()).as("operations of %s", SPEC).containsExactlyInAnyOrderElementsOf(SERVED);
		assertThat(routesDeclaredByTheRouters()).as("routes the RouterFunction beans declare")
			.containsExactlyInAnyOrderElementsOf(SERVED);
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void everyOperationOfTheContractWasExercised() {
		Set<String> missing = new TreeSet<>(operations());
		missing.removeAll(exercised);
		assertThat(missing).as("operations never answered successfully in this test").isEmpty();
	}

	// --- exchanges
	// ------------------------------------------------------------------------

	private Call call(HttpMethod method, String template, Object... uriVariables) {
		return new Call(method, template, uriVariables);
	}

	/** A request to send, by path template (as in the spec) and values. */
	private final class Call {

		private final HttpMethod method;

		private final String template;

		private final Object[] uriVariables;

		private final MultiValueMap<String, String> query = new LinkedMultiValueMap<>();

		private final HttpHeaders headers = new HttpHeaders();

		private byte[] body;

		private MediaType contentType = MediaType.APPLICATION_OCTET_STREAM;

		Call(HttpMethod method, String template, Object[] uriVariables) {
			this.method = method;
			this.template = template;
			this.uriVariables = uriVariables;
		}

		Call query(String name, String value) {
			query.add(name, value);
			return this;
		}

		Call header(String name, String value) {
			headers.add(name, value);
			return this;
		}

		Call body(byte[] bytes) {
			this.body = bytes;
			return this;
		}

		Call body(byte[] bytes, MediaType type) {
			this.body = bytes;
			this.contentType = type;
			return this;
		}

		Call json(String text) {
			return body(text.getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_JSON);
		}

		Exchange send() {
			Map<String, Object> variables = new LinkedHashMap<>();
			Matcher names = Pattern.compile("\\{(\\w+)}").matcher(template);
			int index = 0;
			while (names.find()) {
				variables.put(names.group(1), uriVariables[index++]);
			}
			WebTestClient.RequestBodySpec spec = client.mutate()
				.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
				.build()
				.method(method)
				.uri(builder -> {
					builder.path(template);
					int n = 0;
					for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
						for (String value : parameter.getValue()) {
							String variable = "q" + n++;
							builder.queryParam(parameter.getKey(), "{" + variable + "}");
							variables.put(variable, value);
						}
					}
					return builder.build(variables);
				})
				.headers(h -> h.addAll(headers));
			EntityExchangeResult<byte[]> result = (body == null ? spec : spec.contentType(contentType).bodyValue(body))
				.exchange()
				.expectBody()
				.returnResult();
			return new Exchange(this, result);
		}

	}

	/** A request sent and its answer, ready to be checked against the contract. */
	private final class Exchange {

		private final Call call;

		private final EntityExchangeResult<byte[]> result;

		Exchange(Call call, EntityExchangeResult<byte[]> result) {
			this.call = call;
			this.result = result;
		}

		int status() {
			return result.getStatus().value();
		}

		String header(String name) {
			return result.getResponseHeaders().getFirst(name);
		}

		byte[] body() {
			byte[] bytes = result.getResponseBodyContent();
			return bytes == null ? new byte[0] : bytes;
		}

		String text() {
			return new String(body(), StandardCharsets.UTF_8);
		}

		JsonNode json() {
			return OpenApiContractIT.this.json.readTree(body());
		}

		/** The request and the response both keep the contract. */
		Exchange validated() {
			return check(validator.validate(request(), response()));
		}

		/** The response keeps the contract (the request deliberately does not). */
		Exchange responseValidated() {
			return check(validator.validateResponse(result.getUrl().getPath(),
					Request.Method.valueOf(call.method.name()), response()));
		}

		/**
		 * For answers the spec cannot attach to an operation (unknown routes, methods a
		 * path does not serve): the response keeps the named reusable response of the
		 * spec.
		 */
		Exchange conformsTo(String componentResponse) {
			ApiResponse expected = api.getComponents().getResponses().get(componentResponse);
			List<String> errors = new ArrayList<>();
			expected.getHeaders().forEach((name, header) -> {
				String value = header(name);
				if (value == null) {
					if (Boolean.TRUE.equals(header.getRequired())) {
						errors.add("missing header " + name);
					}
				}
				else {
					errors.addAll(errors(schemas.validate(value, header.getSchema(), "response.header")));
				}
			});
			MediaType contentType = result.getResponseHeaders().getContentType();
			io.swagger.v3.oas.models.media.MediaType media = contentType == null ? null
					: expected.getContent().get(contentType.getType() + "/" + contentType.getSubtype());
			if (media == null) {
				errors.add("content type " + contentType + " is not one of " + expected.getContent().keySet());
			}
			else {
				errors.addAll(errors(schemas.validate(text(), media.getSchema(), "response.body")));
			}
			failOn(errors, "components/responses/" + componentResponse);
			return this;
		}

		private Exchange check(ValidationReport report) {
			failOn(errors(report), call.method + " " + call.template);
			if (status() < 400) {
				exercised.add(call.method.name() + " " + call.template);
			}
			return this;
		}

		private void failOn(List<String> errors, String against) {
			if (!errors.isEmpty()) {
				String shown = text().length() > 2000 ? text().substring(0, 2000) + "..." : text();
				fail("%s %s -> %d breaks the contract (%s):%n  %s%nresponse headers: %s%nresponse body: %s".formatted(
						call.method, result.getUrl(), status(), against, String.join("\n  ", errors),
						result.getResponseHeaders(), shown));
			}
		}

		private SimpleRequest request() {
			SimpleRequest.Builder request = new SimpleRequest.Builder(call.method.name(), result.getUrl().getPath());
			String rawQuery = result.getUrl().getRawQuery();
			if (rawQuery != null) {
				MultiValueMap<String, String> sent = new LinkedMultiValueMap<>();
				for (String pair : rawQuery.split("&")) {
					int equals = pair.indexOf('=');
					String name = equals < 0 ? pair : pair.substring(0, equals);
					String value = equals < 0 ? "" : pair.substring(equals + 1);
					sent.add(decode(name), decode(value));
				}
				sent.forEach(request::withQueryParam);
			}
			result.getRequestHeaders().forEach(request::withHeader);
			byte[] sentBody = result.getRequestBodyContent();
			if (sentBody != null && sentBody.length > 0) {
				request.withBody(sentBody);
			}
			return request.build();
		}

		private SimpleResponse response() {
			SimpleResponse.Builder response = SimpleResponse.Builder.status(status());
			result.getResponseHeaders().forEach(response::withHeader);
			if (body().length > 0) {
				response.withBody(text());
			}
			return response.build();
		}

	}

	// --- helpers
	// --------------------------------------------------------------------------

	private static String decode(String encoded) {
		return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
	}

	private static List<String> errors(ValidationReport report) {
		List<String> errors = new ArrayList<>();
		for (ValidationReport.Message message : report.getMessages()) {
			if (message.getLevel() == ValidationReport.Level.ERROR) {
				errors.add("[" + message.getKey() + "] " + message.getMessage());
			}
		}
		return errors;
	}

	private List<String> errorsOfBarcodeMatch(String body) {
		return errors(validator.validateResponse("/api/skus/by-barcode/" + UNIT_BARCODE, Request.Method.GET,
				jsonResponse(200, body)));
	}

	private static SimpleResponse jsonResponse(int status, String body) {
		return SimpleResponse.Builder.status(status)
			.withContentType("application/json")
			.withHeader("ETag", "\"abc\"")
			.withHeader("Cache-Control", "max-age=30, public")
			.withHeader("X-Request-Id", "contract-test")
			.withHeader("X-Frame-Options", "SAMEORIGIN")
			.withHeader("X-Content-Type-Options", "nosniff")
			.withHeader("Referrer-Policy", "strict-origin-when-cross-origin")
			.withHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			.withBody(body)
			.build();
	}

	private List<String> exampleErrors(String mediaType, Schema<?> schema, Object value) {
		if (mediaType.endsWith("json")) {
			return errors(schemas.validate(Json.pretty(value), schema, "response.body"));
		}
		if (mediaType.equals("application/x-ndjson")) {
			List<String> errors = new ArrayList<>();
			for (String line : String.valueOf(value).split("\n")) {
				errors.addAll(errors(schemas.validate(line, api.getComponents().getSchemas().get("ProductDetail"),
						"response.body")));
			}
			return errors;
		}
		return value instanceof String ? List.of() : List.of("a " + mediaType + " example must be text");
	}

	private static Set<String> slugs(JsonNode items) {
		Set<String> slugs = new LinkedHashSet<>();
		items.forEach(item -> slugs.add(item.get("slug").asString()));
		return slugs;
	}

	private static List<String> errorNames(Exchange problem) {
		List<String> names = new ArrayList<>();
		problem.json().get("errors").forEach(error -> names.add(error.get("name").asString()));
		return names;
	}

	/** "METHOD /path" of every operation of the spec. */
	private Set<String> operations() {
		Set<String> operations = new TreeSet<>();
		api.getPaths()
			.forEach((path,
					item) -> item.readOperationsMap().keySet().forEach(method -> operations.add(method + " " + path)));
		return operations;
	}

	/**
	 * "METHOD /path" of every route of every RouterFunction bean, read with Spring's
	 * visitors.
	 */
	@SuppressWarnings("rawtypes")
	private Set<String> routesDeclaredByTheRouters() {
		Set<String> routes = new TreeSet<>();
		Map<String, RouterFunction> routers = context.getBeansOfType(RouterFunction.class);
		assertThat(routers).isNotEmpty();
		for (RouterFunction<?> router : routers.values()) {
			router.accept(new RouteCollector(routes::add));
		}
		return routes;
	}

	/**
	 * Turns each route's predicate (methods AND path, possibly nested) into "METHOD
	 * /path".
	 */
	private static final class RouteCollector implements RouterFunctions.Visitor, RequestPredicates.Visitor {

		private final Consumer<String> routes;

		private final List<String> prefixes = new ArrayList<>();

		private Set<HttpMethod> methods;

		private String path;

		RouteCollector(Consumer<String> routes) {
			this.routes = routes;
		}

		@Override
		public void startNested(RequestPredicate predicate) {
			path = "";
			predicate.accept(this);
			prefixes.add(path);
		}

		@Override
		public void endNested(RequestPredicate predicate) {
			prefixes.remove(prefixes.size() - 1);
		}

		@Override
		public void route(RequestPredicate predicate, HandlerFunction<?> handler) {
			methods = null;
			path = null;
			predicate.accept(this);
			String full = String.join("", prefixes) + (path == null ? "" : path);
			if (methods == null) {
				routes.accept("ANY " + full);
			}
			else {
				methods.forEach(method -> routes.accept(method.name() + " " + full));
			}
		}

		@Override
		public void resources(
				java.util.function.Function<ServerRequest, Mono<org.springframework.core.io.Resource>> lookup) {
			routes.accept("RESOURCES " + lookup);
		}

		@Override
		public void attributes(Map<String, Object> attributes) {
		}

		@Override
		public void unknown(RouterFunction<?> routerFunction) {
			routes.accept("UNKNOWN " + routerFunction);
		}

		@Override
		public void method(Set<HttpMethod> methods) {
			this.methods = methods;
		}

		@Override
		public void path(String pattern) {
			this.path = pattern;
		}

		@Override
		public void pathExtension(String extension) {
		}

		@Override
		public void header(String name, String value) {
		}

		@Override
		public void queryParam(String name, String value) {
		}

		@Override
		public void version(String version) {
		}

		@Override
		public void startAnd() {
		}

		@Override
		public void and() {
		}

		@Override
		public void endAnd() {
		}

		@Override
		public void startOr() {
		}

		@Override
		public void or() {
		}

		@Override
		public void endOr() {
		}

		@Override
		public void startNegate() {
		}

		@Override
		public void endNegate() {
		}

		@Override
		public void unknown(RequestPredicate predicate) {
		}

	}

	/**
	 * swagger-request-validator 2.46.1 parses OpenAPI 3.1 documents (swagger-parser puts
	 * each schema's {@code type} in {@code types}), but writes schemas for its JSON
	 * Schema draft-04 engine with swagger-core's 3.0 serializer, which only knows
	 * {@code type}: every {@code type} of a 3.1 document is dropped and a string where an
	 * integer is due, an object where an array is due, pass unnoticed. This copies each
	 * schema's 3.1 type back into {@code type}, {@code [T, "null"]} becoming {@code T}
	 * with {@code nullable} (which the validator enforces), so the draft-04 engine checks
	 * types again. It also drops the {@code type: object} that full resolution puts
	 * beside {@code oneOf}/{@code anyOf}. {@code validatorRejectsWhatTheContractForbids}
	 * shows the validator then rejects what the contract forbids. The contract itself is
	 * untouched and stays in the JSON Schema 2020-12 subset draft-04 also understands
	 * ({@code enum: [true]} rather than {@code const}).
	 */
	static final class OpenApi31Types {

		private final Set<Schema<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());

		static void applyTo(OpenAPI api) {
			OpenApi31Types types = new OpenApi31Types();
			if (api.getComponents() != null) {
				nullSafe(api.getComponents().getSchemas()).values().forEach(types::schema);
				nullSafe(api.getComponents().getParameters()).values().forEach(types::parameter);
				nullSafe(api.getComponents().getHeaders()).values().forEach(types::header);
				nullSafe(api.getComponents().getResponses()).values().forEach(types::response);
			}
			for (PathItem item : api.getPaths().values()) {
				nullSafe(item.getParameters()).forEach(types::parameter);
				for (Operation operation : item.readOperations()) {
					nullSafe(operation.getParameters()).forEach(types::parameter);
					if (operation.getRequestBody() != null) {
						types.content(operation.getRequestBody().getContent());
					}
					nullSafe(operation.getResponses()).values().forEach(types::response);
				}
			}
		}

		private void parameter(Parameter parameter) {
			schema(parameter.getSchema());
			content(parameter.getContent());
		}

		private void header(Header header) {
			schema(header.getSchema());
			content(header.getContent());
		}

		private void response(ApiResponse response) {
			nullSafe(response.getHeaders()).values().forEach(this::header);
			content(response.getContent());
		}

		private void content(Content content) {
			nullSafe(content).values().forEach(media -> schema(media.getSchema()));
		}

		private void schema(Schema<?> schema) {
			if (schema == null || !seen.add(schema)) {
				return;
			}
			boolean combined = schema.getOneOf() != null || schema.getAnyOf() != null;
			if (combined && ("object".equals(schema.getType())
					|| schema.getTypes() != null && schema.getTypes().equals(Set.of("object")))) {
				// Added by swagger-parser's full resolution, not written in the contract:
				// it
				// would forbid the other alternatives (a null image). The library's own
				// loader
				// removes it too (removeTypeObjectAssociationWithOneOfAndAnyOfModels),
				// but
				// createFor(OpenAPI) bypasses that loader.
				schema.setType(null);
				schema.setTypes(null);
			}
			if (schema.getType() == null && schema.getTypes() != null && !schema.getTypes().isEmpty()) {
				Set<String> types = new LinkedHashSet<>(schema.getTypes());
				if (types.size() > 1 && types.remove("null")) {
					schema.setNullable(true);
				}
				if (types.size() != 1) {
					throw new IllegalStateException("No draft-04 equivalent for the types " + schema.getTypes());
				}
				schema.setType(types.iterator().next());
			}
			nullSafe(schema.getProperties()).values().forEach(this::schema);
			schema(schema.getItems());
			if (schema.getAdditionalProperties() instanceof Schema<?> additional) {
				schema(additional);
			}
			nullSafe(schema.getAllOf()).forEach(this::schema);
			nullSafe(schema.getAnyOf()).forEach(this::schema);
			nullSafe(schema.getOneOf()).forEach(this::schema);
			schema(schema.getNot());
		}

		private static <K, V> Map<K, V> nullSafe(Map<K, V> map) {
			return map == null ? Map.of() : map;
		}

		private static <T> List<T> nullSafe(List<T> list) {
			return list == null ? List.of() : list;
		}

	}

}
