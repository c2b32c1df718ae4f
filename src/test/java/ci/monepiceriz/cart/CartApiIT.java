package ci.monepiceriz.cart;

import static ci.monepiceriz.cart.CartFixtures.BY_WEIGHT;
import static ci.monepiceriz.cart.CartFixtures.FISH;
import static ci.monepiceriz.cart.CartFixtures.RARE_WEIGHT;
import static ci.monepiceriz.cart.CartFixtures.RETIRED;
import static ci.monepiceriz.cart.CartFixtures.RICE;
import static ci.monepiceriz.cart.CartFixtures.SCARCE;
import static ci.monepiceriz.cart.CartFixtures.UNITS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import ci.monepiceriz.cart.domain.KeptQuote;
import ci.monepiceriz.cart.persistence.R2dbcCarts;
import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.DestinationCell;
import ci.monepiceriz.shared.Tokens;
import ci.monepiceriz.shared.cache.ReadThroughCache;
import ci.monepiceriz.shared.persistence.Transactions;
import ci.monepiceriz.support.IntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/** The storefront cart API against a real PostgreSQL. */
@IntegrationTest
class CartApiIT {

	@Autowired
	WebTestClient web;

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@Autowired
	CartCheckout checkout;

	@Autowired
	Transactions transactions;

	@Autowired
	R2dbcCarts store;

	@BeforeAll
	static void skus(@Autowired DatabaseClient db, @Autowired ReadThroughCache cache) {
		CartFixtures.ensure(db, cache);
	}

	// --- creation and reads ------------------------------------------------------------

	@Test
	void createsAnEmptyCartWhoseTokenIsGivenOnceAndStoredOnlyAsItsHash() {
		Answer created = send(HttpMethod.POST, "/api/carts", null);
		assertThat(created.status()).isEqualTo(201);
		String token = created.body().get("token").asString();
		assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
		assertThat(created.headers().getLocation()).hasToString("/api/carts/" + token);
		assertThat(created.headers().getCacheControl()).isEqualTo("no-store");
		JsonNode cart = created.body();
		assertThat(cart.get("lines").size()).isZero();
		assertThat(cart.get("subtotal").asLong()).isZero();
		assertThat(cart.get("estimated").asBoolean()).isFalse();
		assertThat(cart.get("itemCount").asInt()).isZero();
		assertThat(cart.get("ordered").asBoolean()).isFalse();
		assertThat(cart.get("fulfilmentOptions").toString()).isEqualTo("[{\"type\":\"PICKUP\",\"available\":true},"
				+ "{\"type\":\"DELIVERY\",\"available\":false,\"minimumSubtotal\":3000,\"missingAmount\":3000}]");
		assertThat(Instant.parse(cart.get("expiresAt").asString())).isCloseTo(Instant.now().plus(Duration.ofDays(7)),
				within(1, ChronoUnit.MINUTES));

		Answer read = get(token);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.headers().getCacheControl()).isEqualTo("no-store");
		assertThat(read.body().has("token")).as("the token is given at creation only").isFalse();
		assertThat(read.body().get("expiresAt")).isEqualTo(cart.get("expiresAt"));
		assertThat(db.sql("SELECT count(*) FROM cart WHERE token_hash = sha256(convert_to(:t, 'UTF8'))")
			.bind("t", token)
			.map(row -> row.get(0, Long.class))
			.one()
			.block()).isEqualTo(1);
	}

	@Test
	void setsUnitAndWeightLinesPricedExactlyInTheOrderTheyWereAdded() {
		String token = newCart();
		assertThat(put(token, RICE, "{\"quantity\": 2}").status()).isEqualTo(200);
		assertThat(put(token, FISH, "{\"grams\": 1500}").status()).isEqualTo(200);
		Answer third = put(token, BY_WEIGHT, "{\"grams\": 1250}");
		assertThat(third.status()).isEqualTo(200);
		assertThat(third.headers().getCacheControl()).isEqualTo("no-store");

		JsonNode cart = third.body();
		assertThat(codes(cart)).containsExactly(RICE, FISH, BY_WEIGHT);
		JsonNode rice = cart.get("lines").get(0);
		assertThat(rice.toString()).isEqualTo("{\"skuCode\":\"RIZ-PARF-5KG\",\"productSlug\":\"riz-parfume-jasmin\","
				+ "\"productName\":\"Riz parfumé jasmin\",\"label\":\"Sac 5 kg\",\"saleType\":\"UNIT\",\"quantity\":2,"
				+ "\"unitPrice\":4500,\"amount\":9000,\"estimated\":false,\"availability\":\"AVAILABLE\","
				+ "\"imageUrl\":\"" + rice.get("imageUrl").asString() + "\"}");
		JsonNode fish = cart.get("lines").get(1);
		assertThat(fish.get("grams").asInt()).isEqualTo(1500);
		assertThat(fish.get("pricePerKg").asLong()).isEqualTo(4000);
		assertThat(fish.get("amount").asLong()).as("1500 g at 4000 XOF/kg").isEqualTo(6000);
		assertThat(fish.get("estimated").asBoolean()).isTrue();
		assertThat(fish.has("quantity")).isFalse();
		assertThat(fish.has("unitPrice")).isFalse();
		JsonNode odd = cart.get("lines").get(2);
		assertThat(odd.get("amount").asLong()).as("1250 g x 1999 XOF/kg = 2498.75, rounded half-up").isEqualTo(2499);
		assertThat(odd.has("imageUrl")).as("no image: absent, not null").isFalse();
		assertThat(cart.get("subtotal").asLong()).isEqualTo(9000 + 6000 + 2499);
		assertThat(cart.get("estimated").asBoolean()).isTrue();
		assertThat(cart.get("itemCount").asInt()).isEqualTo(4);
		assertThat(cart.get("fulfilmentOptions").get(1).toString())
			.isEqualTo("{\"type\":\"DELIVERY\",\"available\":true,\"minimumSubtotal\":3000}");

		// setting a line again replaces its amount and keeps its place
		JsonNode replaced = put(token, RICE, "{\"quantity\": 3}").body();
		assertThat(codes(replaced)).containsExactly(RICE, FISH, BY_WEIGHT);
		assertThat(replaced.get("lines").get(0).get("amount").asLong()).isEqualTo(13500);
		assertThat(replaced.get("subtotal").asLong()).isEqualTo(13500 + 6000 + 2499);
		assertThat(get(token).body()).isEqualTo(replaced);
	}

	@Test
	void removesALineAndRemovingAnAbsentOneIsFine() {
		String token = newCart();
		put(token, RICE, "{\"quantity\": 1}");
		put(token, UNITS, "{\"quantity\": 2}");
		Answer removed = send(HttpMethod.DELETE, "/api/carts/" + token + "/lines/" + RICE, null);
		assertThat(removed.status()).isEqualTo(200);
		assertThat(removed.headers().getCacheControl()).isEqualTo("no-store");
		assertThat(codes(removed.body())).containsExactly(UNITS);
		assertThat(removed.body().get("subtotal").asLong()).isEqualTo(2500);
		for (String absent : new String[] { RICE, "NOPE-404", "not-a-code" }) {
			Answer again = send(HttpMethod.DELETE, "/api/carts/" + token + "/lines/" + absent, null);
			assertThat(again.status()).as(absent).isEqualTo(200);
			assertThat(codes(again.body())).containsExactly(UNITS);
		}
		assertThat(CartFixtures.lineCount(db, token)).isEqualTo(1);
	}

	@Test
	void everyChangePushesTheExpiryBackButAReadDoesNot() {
		String token = newCart();
		Instant soon = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
		setExpiry(token, soon);
		assertThat(Instant.parse(get(token).body().get("expiresAt").asString())).isEqualTo(soon);
		assertThat(quote(token, "{\"address\":\"Cocody\",\"latitude\":5.35,\"longitude\":-4.01}").status())
			.isEqualTo(200);
		assertThat(Instant.parse(get(token).body().get("expiresAt").asString())).as("reads and quotes").isEqualTo(soon);

		Instant week = Instant.now().plus(Duration.ofDays(7));
		JsonNode afterPut = put(token, RICE, "{\"quantity\": 1}").body();
		assertThat(Instant.parse(afterPut.get("expiresAt").asString())).isCloseTo(week, within(1, ChronoUnit.MINUTES));

		setExpiry(token, soon);
		JsonNode afterDelete = send(HttpMethod.DELETE, "/api/carts/" + token + "/lines/" + FISH, null).body();
		assertThat(Instant.parse(afterDelete.get("expiresAt").asString())).isCloseTo(week,
				within(1, ChronoUnit.MINUTES));
		assertThat(get(token).body().get("expiresAt")).isEqualTo(afterDelete.get("expiresAt"));
	}

	// --- delivery quotes
	// -------------------------------------------------------------------

	@Test
	void quotesTheFlatFeeAndSaysWhetherTheSubtotalAllowsDelivery() {
		String token = newCart();
		String destination = "{\"address\": \"Rue des Jardins, Cocody, Abidjan\", \"latitude\": 5.35, \"longitude\": -4.01}";
		Answer below = quote(token, destination);
		assertThat(below.status()).isEqualTo(200);
		assertThat(below.headers().getCacheControl()).isEqualTo("no-store");
		Instant validUntil = Instant.parse(((ObjectNode) below.body()).remove("validUntil").asString());
		assertThat(validUntil).isCloseTo(Instant.now().plus(30, ChronoUnit.MINUTES), within(1, ChronoUnit.MINUTES));
		assertThat(below.body().toString()).isEqualTo("{\"fee\":1000,\"currency\":\"XOF\",\"etaMinutes\":60,"
				+ "\"source\":\"FLAT\",\"deliveryAvailable\":false,\"minimumSubtotal\":3000,\"missingAmount\":3000,"
				+ "\"latitude\":5.35,\"longitude\":-4.01}");
		put(token, UNITS, "{\"quantity\": 2}");
		assertThat(quote(token, destination).body().get("missingAmount").asLong()).isEqualTo(500);
		put(token, RICE, "{\"quantity\": 1}");
		JsonNode enough = quote(token, destination).body();
		((ObjectNode) enough).remove("validUntil");
		assertThat(enough.toString()).isEqualTo("{\"fee\":1000,\"currency\":\"XOF\",\"etaMinutes\":60,"
				+ "\"source\":\"FLAT\",\"deliveryAvailable\":true,\"minimumSubtotal\":3000,\"latitude\":5.35,"
				+ "\"longitude\":-4.01}");
	}

	@Test
	void theCartShowsItsQuoteWhileItIsChargedCheckedAgainstTheSubtotalAsItIsNow() {
		String token = newCart();
		assertThat(get(token).body().has("deliveryQuote")).as("never quoted").isFalse();
		JsonNode quoted = quote(token, "{\"address\": \"Cocody\", \"latitude\": 5.35049, \"longitude\": -4.0106}")
			.body();
		assertThat(quoted.get("latitude").asDouble()).as("the cell's centre").isEqualTo(5.35);
		assertThat(quoted.get("longitude").asDouble()).isEqualTo(-4.011);

		JsonNode shown = get(token).body().get("deliveryQuote");
		assertThat(shown).isEqualTo(quoted);
		// a line added: the same quote, the subtotal's minimum checked again
		JsonNode changed = put(token, RICE, "{\"quantity\": 1}").body().get("deliveryQuote");
		assertThat(changed.get("fee").asLong()).isEqualTo(1000);
		assertThat(changed.get("validUntil")).isEqualTo(quoted.get("validUntil"));
		assertThat(changed.get("deliveryAvailable").asBoolean()).isTrue();
		assertThat(changed.has("missingAmount")).isFalse();
		assertThat(get(token).body().get("deliveryQuote")).isEqualTo(changed);
		// another place quoted: the cart shows that one
		quote(token, "{\"address\": \"Plateau\", \"latitude\": 5.32, \"longitude\": -4.02}");
		assertThat(get(token).body().at("/deliveryQuote/latitude").asDouble()).isEqualTo(5.32);

		// once an order would no longer be charged it, the cart no longer shows it
		db.sql("UPDATE cart_delivery_quote q SET quoted_at = quoted_at - interval '2 hours',"
				+ " valid_until = now() - interval '1 second' FROM cart c"
				+ " WHERE q.cart_id = c.id AND c.token_hash = sha256(convert_to(:t, 'UTF8'))")
			.bind("t", token)
			.fetch()
			.rowsUpdated()
			.block(Duration.ofSeconds(10));
		assertThat(get(token).body().has("deliveryQuote")).isFalse();
		assertThat(put(token, RICE, "{\"quantity\": 2}").body().has("deliveryQuote")).isFalse();
	}

	@Test
	void aQuoteAnsweredAfterTheAnswerToANewerRequestDoesNotReplaceIt() {
		String token = newCart();
		byte[] hash = Tokens.sha256(token);
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		Instant older = now.minusSeconds(3);
		KeptQuote plateau = new KeptQuote(new DeliveryQuote(1200, Duration.ofMinutes(40), "YANGO"),
				DestinationCell.of(5.32, -4.02), now.plus(Duration.ofMinutes(30)));
		KeptQuote cocody = new KeptQuote(new DeliveryQuote(1500, Duration.ofMinutes(50), "YANGO"),
				DestinationCell.of(5.35, -4.01), older.plus(Duration.ofMinutes(30)));
		assertThat(store.keepQuote(hash, plateau, now, now).block()).isTrue();

		// the slow answer (a cache miss) to the request made before: not kept
		assertThat(store.keepQuote(hash, cocody, older, now).block()).isFalse();
		JsonNode shown = get(token).body().get("deliveryQuote");
		assertThat(shown.get("latitude").asDouble()).isEqualTo(5.32);
		assertThat(shown.get("fee").asLong()).isEqualTo(1200);
		// nor does a slow "no delivery there" answer to it forget the newer quote
		store.forgetQuote(hash, older).block();
		assertThat(get(token).body().at("/deliveryQuote/fee").asLong()).isEqualTo(1200);
		// a newer request's answer replaces it
		Instant newer = now.plusMillis(1);
		assertThat(
				store.keepQuote(hash, new KeptQuote(cocody.quote(), cocody.cell(), newer.plusSeconds(60)), newer, newer)
					.block())
			.isTrue();
		assertThat(get(token).body().at("/deliveryQuote/fee").asLong()).isEqualTo(1500);
	}

	@Test
	void anOrderedCartIsNotQuotedAndShowsNoQuote() {
		String token = newCart();
		put(token, RICE, "{\"quantity\": 1}");
		assertThat(quote(token, "{\"address\":\"Cocody\",\"latitude\":5.35,\"longitude\":-4.01}").status())
			.isEqualTo(200);
		transactions.inTransaction(checkout.checkOut(token)).block();

		JsonNode read = get(token).body();
		assertThat(read.get("ordered").asBoolean()).isTrue();
		assertThat(read.has("deliveryQuote")).as("no other order to charge it").isFalse();
		Answer again = quote(token, "{\"address\":\"Plateau\",\"latitude\":5.32,\"longitude\":-4.02}");
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.body().get("code").asString()).isEqualTo("cart-already-ordered");
		assertThat(keptLatitudeE3(token)).as("the quote kept before the order, unchanged").isEqualTo(5350);
		// a quote answered after the cart was ordered is not kept either
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		KeptQuote late = new KeptQuote(new DeliveryQuote(900, Duration.ofMinutes(30), "FLAT"),
				DestinationCell.of(5.32, -4.02), now.plus(Duration.ofMinutes(30)));
		assertThat(store.keepQuote(Tokens.sha256(token), late, now, now).block()).isFalse();
		assertThat(keptLatitudeE3(token)).isEqualTo(5350);
	}

	@Test
	void aQuoteIsNeverValidPastTheCartsExpiry() {
		String token = newCart();
		Instant soon = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
		setExpiry(token, soon);
		Answer quoted = quote(token, "{\"address\":\"Cocody\",\"latitude\":5.35,\"longitude\":-4.01}");
		assertThat(quoted.status()).isEqualTo(200);
		assertThat(Instant.parse(quoted.body().get("validUntil").asString())).isEqualTo(soon);
		assertThat(Instant.parse(get(token).body().at("/deliveryQuote/validUntil").asString())).isEqualTo(soon);
	}

	@Test
	void aQuoteRequestNamesEveryBadField() {
		String token = newCart();
		Answer bad = quote(token, "{\"address\": \"   \", \"latitude\": 91, \"longitude\": \"-4\", \"floor\": 2}");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.body().get("code").asString()).isEqualTo("invalid-parameters");
		assertThat(errors(bad)).containsExactlyInAnyOrder("address: doit être un texte de 1 à 500 caractères",
				"latitude: doit être un nombre entre -90 et 90", "longitude: doit être un nombre entre -180 et 180",
				"floor: champ inconnu : seuls address, latitude et longitude sont acceptés");
		Answer missing = quote(token, "{}");
		assertThat(missing.status()).isEqualTo(400);
		assertThat(errors(missing)).containsExactlyInAnyOrder("address: requis : un texte de 1 à 500 caractères",
				"latitude: requis : un nombre entre -90 et 90", "longitude: requis : un nombre entre -180 et 180");
		Answer tooLong = quote(token,
				"{\"address\": \"" + "a".repeat(501) + "\", \"latitude\": -90, \"longitude\": 180}");
		assertThat(errors(tooLong)).containsExactly("address: doit être un texte de 1 à 500 caractères");
		assertThat(quote(token, "[]").body().get("code").asString()).isEqualTo("malformed-request");
	}

	// --- refused changes: the right problem, and nothing changed
	// -------------------------

	@Test
	void amountsOffTheSkuRulesAreA400NamingTheFieldWithItsRule() {
		String token = newCart();
		put(token, RICE, "{\"quantity\": 1}");
		put(token, BY_WEIGHT, "{\"grams\": 500}");
		JsonNode before = get(token).body();
		String rule = "doit être un multiple de 250 g entre 500 g et 5000 g";
		assertRefused(token, BY_WEIGHT, "{\"grams\": 1300}", "grams: " + rule);
		assertRefused(token, BY_WEIGHT, "{\"grams\": 250}", "grams: " + rule);
		assertRefused(token, BY_WEIGHT, "{\"grams\": 5250}", "grams: " + rule);
		assertRefused(token, BY_WEIGHT, "{\"grams\": -500}", "grams: " + rule);
		assertRefused(token, BY_WEIGHT, "{\"quantity\": 2}",
				"grams: requis pour cet article vendu au poids : un multiple de 250 g entre 500 g et 5000 g",
				"quantity: non accepté : cet article est vendu au poids (grams)");
		assertRefused(token, BY_WEIGHT, "{\"grams\": 1300, \"quantity\": 2}", "grams: " + rule,
				"quantity: non accepté : cet article est vendu au poids (grams)");
		assertRefused(token, BY_WEIGHT, "{}",
				"grams: requis pour cet article vendu au poids : un multiple de 250 g entre 500 g et 5000 g");
		assertRefused(token, RICE, "{\"quantity\": 0}", "quantity: doit être un nombre entier entre 1 et 999");
		assertRefused(token, RICE, "{\"quantity\": 1000}", "quantity: doit être un nombre entier entre 1 et 999");
		assertRefused(token, RICE, "{\"grams\": 500}",
				"quantity: requis pour cet article vendu à l'unité : un nombre entier entre 1 et 999",
				"grams: non accepté : cet article est vendu à l'unité (quantity)");
		assertRefused(token, RICE, "{\"quantity\": null}",
				"quantity: requis pour cet article vendu à l'unité : un nombre entier entre 1 et 999");
		assertRefused(token, RICE, "",
				"quantity: requis pour cet article vendu à l'unité : un nombre entier entre 1 et 999");
		// not whole numbers, unknown fields: refused before the SKU is even looked at
		assertRefused(token, RICE, "{\"quantity\": 1.5}", "quantity: doit être un nombre entier entre 1 et 999");
		assertRefused(token, RICE, "{\"quantity\": \"2\"}", "quantity: doit être un nombre entier entre 1 et 999");
		assertRefused(token, RICE, "{\"quantity\": 99999999999}",
				"quantity: doit être un nombre entier entre 1 et 999");
		assertRefused(token, BY_WEIGHT, "{\"grams\": 1e3}", "grams: doit être un nombre entier de grammes");
		assertRefused(token, RICE, "{\"qty\": 2, \"price\": 1}",
				"qty: champ inconnu : seuls quantity (vendu à l'unité) et grams (vendu au poids) sont acceptés",
				"price: champ inconnu : seuls quantity (vendu à l'unité) et grams (vendu au poids) sont acceptés");
		assertThat(get(token).body()).as("nothing changed, not even the expiry").isEqualTo(before);
	}

	@Test
	void unknownAndUnavailableSkusAreRefused() {
		String token = newCart();
		put(token, RICE, "{\"quantity\": 1}");
		JsonNode before = get(token).body();
		Answer unknown = put(token, "NOPE-404", "{\"quantity\": 1}");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body().get("code").asString()).isEqualTo("sku-not-found");
		assertThat(unknown.body().get("detail").asString()).isEqualTo("Aucun article ne porte le code « NOPE-404 ».");
		assertThat(put(token, "pas-un-code", "{\"quantity\": 1}").body().get("code").asString())
			.isEqualTo("sku-not-found");
		Answer retired = put(token, RETIRED, "{\"quantity\": 1}");
		assertThat(retired.status()).isEqualTo(409);
		assertThat(retired.body().get("code").asString()).isEqualTo("sku-unavailable");
		assertThat(retired.body().get("detail").asString())
			.isEqualTo("L'article « Essai panier unités (Retiré) » n'est plus en vente.");
		assertThat(get(token).body()).isEqualTo(before);
	}

	@Test
	void moreThanTheStockIsA409StatingWhatIsAvailable() {
		resetScarce();
		String token = newCart();
		JsonNode before = get(token).body();
		Answer units = put(token, SCARCE, "{\"quantity\": 11}");
		assertThat(units.status()).isEqualTo(409);
		assertThat(units.body().get("code").asString()).isEqualTo("insufficient-stock");
		assertThat(units.body().get("detail").asString())
			.isEqualTo("Stock insuffisant pour « Essai panier unités (Rare) » : 10 unité(s) disponible(s), "
					+ "11 demandée(s).");
		Answer grams = put(token, RARE_WEIGHT, "{\"grams\": 1000}");
		assertThat(grams.status()).isEqualTo(409);
		assertThat(grams.body().get("detail").asString())
			.isEqualTo("Stock insuffisant pour « Essai panier poids (Au kilo, rare) » : 750 g disponibles, "
					+ "1000 g demandés.");
		assertThat(get(token).body()).isEqualTo(before);
		assertThat(put(token, SCARCE, "{\"quantity\": 10}").status()).isEqualTo(200);
		assertThat(put(token, RARE_WEIGHT, "{\"grams\": 750}").status()).isEqualTo(200);
	}

	@Test
	void aTokenThatCannotBeOursIsA404() {
		for (String token : new String[] { "abc", "x".repeat(43) + "y", "a".repeat(42) + "!" }) {
			Answer answer = send(HttpMethod.GET, "/api/carts/" + token, null);
			assertThat(answer.status()).as(token).isEqualTo(404);
			assertThat(answer.body().get("code").asString()).isEqualTo("cart-not-found");
		}
		// the token is checked first: even a bad body gets the 404
		Answer put = put("abc", RICE, "{\"quantity\": 0}");
		assertThat(put.status()).isEqualTo(404);
		assertThat(put.body().get("code").asString()).isEqualTo("cart-not-found");
		Answer unknown = get("A".repeat(43));
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body().get("title").asString()).isEqualTo("Panier introuvable");
	}

	@Test
	void anExpiredCartIsNotFoundAndTakesNoChange() {
		String token = newCart();
		put(token, RICE, "{\"quantity\": 1}");
		CartFixtures.expire(db, token);
		Answer read = get(token);
		assertThat(read.status()).isEqualTo(404);
		assertThat(read.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(read.body().get("code").asString()).isEqualTo("cart-not-found");
		assertThat(read.body().get("title").asString()).isEqualTo("Panier introuvable");
		assertThat(read.body().get("detail").asString()).contains("expiré");
		assertThat(read.body().get("type").asString()).isEqualTo("https://api.monepiceriz.ci/problems/cart-not-found");
		assertThat(put(token, UNITS, "{\"quantity\": 1}").status()).isEqualTo(404);
		assertThat(send(HttpMethod.DELETE, "/api/carts/" + token + "/lines/" + RICE, null).status()).isEqualTo(404);
		assertThat(quote(token, "{\"address\":\"Plateau\",\"latitude\":5.32,\"longitude\":-4.02}").status())
			.isEqualTo(404);
		assertThat(CartFixtures.lineCount(db, token)).isEqualTo(1);
		assertThat(db.sql("SELECT expires_at < now() FROM cart WHERE token_hash = sha256(convert_to(:t, 'UTF8'))")
			.bind("t", token)
			.map(row -> row.get(0, Boolean.class))
			.one()
			.block()).as("still expired").isTrue();
	}

	@Test
	void anOrderedCartIsShownButTakesNoChange() {
		String token = newCart();
		put(token, RICE, "{\"quantity\": 1}");
		transactions.inTransaction(checkout.checkOut(token)).block();
		Answer read = get(token);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.body().get("ordered").asBoolean()).isTrue();
		assertThat(codes(read.body())).containsExactly(RICE);
		Answer change = put(token, UNITS, "{\"quantity\": 1}");
		assertThat(change.status()).isEqualTo(409);
		assertThat(change.body().get("code").asString()).isEqualTo("cart-already-ordered");
		assertThat(change.body().get("title").asString()).isEqualTo("Panier déjà commandé");
		Answer removal = send(HttpMethod.DELETE, "/api/carts/" + token + "/lines/" + RICE, null);
		assertThat(removal.status()).isEqualTo(409);
		assertThat(removal.body().get("code").asString()).isEqualTo("cart-already-ordered");
		assertThat(send(HttpMethod.DELETE, "/api/carts/" + token + "/lines/" + UNITS, null).status()).isEqualTo(409);
		assertThat(get(token).body()).isEqualTo(read.body());
	}

	@Test
	void unreadableBodiesAreRefusedByTheEdgeAndChangeNothing() {
		String token = newCart();
		put(token, RICE, "{\"quantity\": 1}");
		JsonNode before = get(token).body();
		String uri = "/api/carts/" + token + "/lines/" + UNITS;

		EntityExchangeResult<byte[]> text = web.put()
			.uri(uri)
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("quantity=2")
			.exchange()
			.expectBody()
			.returnResult();
		assertThat(text.getStatus().value()).isEqualTo(415);
		assertThat(code(text)).isEqualTo("unsupported-media-type");

		assertThat(put(token, UNITS, "{\"quantity\": ").body().get("code").asString()).isEqualTo("malformed-request");
		assertThat(put(token, UNITS, "{\"quantity\": 2} trailing").status()).isEqualTo(400);
		Answer array = put(token, UNITS, "[2]");
		assertThat(array.status()).isEqualTo(400);
		assertThat(array.body().get("code").asString()).isEqualTo("malformed-request");

		EntityExchangeResult<byte[]> huge = web.put()
			.uri(uri)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"quantity\": 2, \"padding\": \"" + "x".repeat(300 * 1024) + "\"}")
			.exchange()
			.expectBody()
			.returnResult();
		assertThat(huge.getStatus().value()).isEqualTo(413);
		assertThat(code(huge)).isEqualTo("payload-too-large");

		EntityExchangeResult<byte[]> csv = web.get()
			.uri("/api/carts/" + token)
			.accept(MediaType.parseMediaType("text/csv"))
			.exchange()
			.expectBody()
			.returnResult();
		assertThat(csv.getStatus().value()).isEqualTo(406);

		assertThat(get(token).body()).isEqualTo(before);
	}

	// --- repricing and availability
	// -----------------------------------------------------

	@Test
	void linesFollowTheCurrentStockAndPricesOfTheirSkus() {
		resetScarce();
		String token = newCart();
		put(token, SCARCE, "{\"quantity\": 5}");
		put(token, UNITS, "{\"quantity\": 2}");
		assertThat(get(token).body().get("subtotal").asLong()).isEqualTo(5000 + 2500);
		try {
			updateSku("stock = 3");
			JsonNode reduced = get(token).body();
			JsonNode line = reduced.get("lines").get(0);
			assertThat(line.get("availability").asString()).isEqualTo("REDUCED_STOCK");
			assertThat(line.get("availableStock").asLong()).isEqualTo(3);
			assertThat(line.get("amount").asLong()).isEqualTo(5000);
			assertThat(reduced.get("subtotal").asLong()).as("only lines that can be served").isEqualTo(2500);
			assertThat(reduced.get("itemCount").asInt()).isEqualTo(7);
			assertThat(reduced.get("fulfilmentOptions").get(1).get("missingAmount").asLong()).isEqualTo(500);

			updateSku("stock = 0");
			JsonNode out = get(token).body().get("lines").get(0);
			assertThat(out.get("availability").asString()).isEqualTo("OUT_OF_STOCK");
			assertThat(out.has("availableStock")).isFalse();

			updateSku("stock = 10, active = false");
			assertThat(get(token).body().get("lines").get(0).get("availability").asString()).isEqualTo("UNAVAILABLE");

			updateSku("active = true, unit_price = 1100");
			JsonNode repriced = get(token).body();
			assertThat(repriced.get("lines").get(0).get("availability").asString()).isEqualTo("AVAILABLE");
			assertThat(repriced.get("lines").get(0).get("unitPrice").asLong()).isEqualTo(1100);
			assertThat(repriced.get("subtotal").asLong()).isEqualTo(5500 + 2500);
		}
		finally {
			resetScarce();
		}
	}

	// --- languages
	// --------------------------------------------------------------------------

	@Test
	void speaksEnglishWhenAsked() {
		EntityExchangeResult<byte[]> notFound = web.get()
			.uri("/api/carts/" + "B".repeat(43))
			.header(HttpHeaders.ACCEPT_LANGUAGE, "en")
			.exchange()
			.expectBody()
			.returnResult();
		JsonNode problem = json.readTree(notFound.getResponseBodyContent());
		assertThat(problem.get("title").asString()).isEqualTo("Cart not found");
		assertThat(problem.get("detail").asString()).contains("expired");
		assertThat(notFound.getResponseHeaders().getFirst(HttpHeaders.CONTENT_LANGUAGE)).isEqualTo("en");

		String token = newCart();
		EntityExchangeResult<byte[]> badGrams = web.put()
			.uri("/api/carts/" + token + "/lines/" + BY_WEIGHT)
			.header(HttpHeaders.ACCEPT_LANGUAGE, "en-GB, fr;q=0.5")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"grams\": 1300}")
			.exchange()
			.expectBody()
			.returnResult();
		JsonNode invalid = json.readTree(badGrams.getResponseBodyContent());
		assertThat(invalid.get("title").asString()).isEqualTo("Invalid parameters");
		assertThat(invalid.get("errors").get(0).toString())
			.isEqualTo("{\"name\":\"grams\",\"detail\":\"must be a multiple of 250 g between 500 g and 5000 g\"}");
	}

	// --- helpers
	// ----------------------------------------------------------------------------

	record Answer(int status, HttpHeaders headers, JsonNode body) {
	}

	private String newCart() {
		return send(HttpMethod.POST, "/api/carts", null).body().get("token").asString();
	}

	private Answer get(String token) {
		return send(HttpMethod.GET, "/api/carts/" + token, null);
	}

	private Answer put(String token, String code, String body) {
		return send(HttpMethod.PUT, "/api/carts/" + token + "/lines/" + code, body);
	}

	private Answer quote(String token, String body) {
		return send(HttpMethod.POST, "/api/carts/" + token + "/delivery-quote", body);
	}

	private Answer send(HttpMethod method, String uri, String body) {
		WebTestClient.RequestBodySpec request = web.method(method).uri(uri);
		EntityExchangeResult<byte[]> result = (body == null ? request
				: request.contentType(MediaType.APPLICATION_JSON).bodyValue(body))
			.exchange()
			.expectBody()
			.returnResult();
		byte[] bytes = result.getResponseBodyContent();
		return new Answer(result.getStatus().value(), result.getResponseHeaders(),
				bytes == null || bytes.length == 0 ? null : json.readTree(bytes));
	}

	private void assertRefused(String token, String code, String body, String... errors) {
		Answer answer = put(token, code, body);
		assertThat(answer.status()).as(body).isEqualTo(400);
		assertThat(answer.body().get("code").asString()).isEqualTo("invalid-parameters");
		assertThat(errors(answer)).as(body).containsExactlyInAnyOrder(errors);
	}

	private static List<String> errors(Answer answer) {
		List<String> errors = new ArrayList<>();
		answer.body()
			.get("errors")
			.forEach(error -> errors.add(error.get("name").asString() + ": " + error.get("detail").asString()));
		return errors;
	}

	private static List<String> codes(JsonNode cart) {
		List<String> codes = new ArrayList<>();
		cart.get("lines").forEach(line -> codes.add(line.get("skuCode").asString()));
		return codes;
	}

	private String code(EntityExchangeResult<byte[]> result) {
		return json.readTree(result.getResponseBodyContent()).get("code").asString();
	}

	private Integer keptLatitudeE3(String token) {
		return db
			.sql("SELECT q.cell_lat_e3 FROM cart_delivery_quote q JOIN cart c ON c.id = q.cart_id"
					+ " WHERE c.token_hash = sha256(convert_to(:t, 'UTF8'))")
			.bind("t", token)
			.map(row -> row.get(0, Integer.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private void setExpiry(String token, Instant expiresAt) {
		db.sql("UPDATE cart SET expires_at = :at WHERE token_hash = sha256(convert_to(:t, 'UTF8'))")
			.bind("at", expiresAt)
			.bind("t", token)
			.fetch()
			.rowsUpdated()
			.block();
	}

	private void updateSku(String assignments) {
		CartFixtures.run(db, "UPDATE sku SET " + assignments + " WHERE code = '" + SCARCE + "'");
	}

	private void resetScarce() {
		updateSku("stock = 10, active = true, unit_price = 1000");
	}

}
