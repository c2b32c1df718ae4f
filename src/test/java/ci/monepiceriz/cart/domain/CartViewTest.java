package ci.monepiceriz.cart.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ci.monepiceriz.cart.domain.CartView.FulfilmentOption;
import ci.monepiceriz.cart.domain.CartView.FulfilmentType;
import ci.monepiceriz.cart.domain.CartView.LineView;
import ci.monepiceriz.catalog.domain.SaleType;
import ci.monepiceriz.catalog.domain.SkuOffer;
import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.DestinationCell;

class CartViewTest {

	static final Instant EXPIRES = Instant.parse("2026-12-01T10:00:00Z");

	static SkuOffer unit(long id, long price, long stock) {
		return new SkuOffer(id, "UNIT-" + id, "produit-" + id, "Produit " + id, "Sac", SaleType.UNIT, price, null, null,
				null, null, stock, true, "https://cdn.example/" + id + ".jpg");
	}

	static SkuOffer weight(long id, long pricePerKg, long stockGrams) {
		return new SkuOffer(id, "WEIGHT-" + id, "frais-" + id, "Frais " + id, "Au kilo", SaleType.WEIGHT, null,
				pricePerKg, 250, 500, 5000, stockGrams, true, null);
	}

	static Cart cart(Cart.Line... lines) {
		return new Cart(7, EXPIRES, false, List.of(lines));
	}

	static Cart.Line units(SkuOffer offer, int quantity) {
		return new Cart.Line(offer.skuId(), offer.code(), quantity, null);
	}

	static Cart.Line grams(SkuOffer offer, int grams) {
		return new Cart.Line(offer.skuId(), offer.code(), null, grams);
	}

	static Map<Long, SkuOffer> offers(SkuOffer... offers) {
		return java.util.Arrays.stream(offers)
			.collect(java.util.stream.Collectors.toMap(SkuOffer::skuId, offer -> offer));
	}

	@Test
	void pricesUnitLinesAtQuantityTimesPriceAndWeightLinesRoundedHalfUp() {
		SkuOffer rice = unit(1, 4500, 100);
		SkuOffer fish = weight(2, 4000, 25_000);
		SkuOffer odd = weight(3, 1999, 25_000);
		CartView view = CartView.of(cart(units(rice, 2), grams(fish, 1500), grams(odd, 1250)), offers(rice, fish, odd),
				3000);

		assertThat(view.lines()).extracting(LineView::amount).containsExactly(9000L, 6000L, 2499L);
		assertThat(view.subtotal()).isEqualTo(9000 + 6000 + 2499);
		assertThat(view.estimated()).isTrue();
		assertThat(view.itemCount()).isEqualTo(2 + 1 + 1);
		LineView riceLine = view.lines().get(0);
		assertThat(riceLine.unitPrice()).isEqualTo(4500);
		assertThat(riceLine.pricePerKg()).isNull();
		assertThat(riceLine.estimated()).isFalse();
		assertThat(riceLine.imageUrl()).isEqualTo("https://cdn.example/1.jpg");
		LineView fishLine = view.lines().get(1);
		assertThat(fishLine.pricePerKg()).isEqualTo(4000);
		assertThat(fishLine.unitPrice()).isNull();
		assertThat(fishLine.grams()).isEqualTo(1500);
		assertThat(fishLine.quantity()).isNull();
		assertThat(fishLine.estimated()).isTrue();
		assertThat(view.ordered()).isFalse();
		assertThat(view.expiresAt()).isEqualTo(EXPIRES);
		assertThat(view.token()).isNull();
	}

	@Test
	void keepsTheLinesInTheOrderTheyWereAdded() {
		SkuOffer a = unit(9, 100, 10);
		SkuOffer b = unit(3, 100, 10);
		SkuOffer c = weight(5, 1000, 10_000);
		CartView view = CartView.of(cart(units(a, 1), units(b, 1), grams(c, 500)), offers(c, b, a), 0);
		assertThat(view.lines()).extracting(LineView::skuCode).containsExactly("UNIT-9", "UNIT-3", "WEIGHT-5");
	}

	@Test
	void marksLinesByWhatCanBeServedAndCountsOnlyServableLinesInTheSubtotal() {
		SkuOffer enough = unit(1, 1000, 5);
		SkuOffer reduced = unit(2, 1000, 3);
		SkuOffer none = unit(3, 1000, 0);
		SkuOffer retired = new SkuOffer(4, "UNIT-4", "p", "P", "L", SaleType.UNIT, 1000L, null, null, null, null, 50,
				false, null);
		SkuOffer fewGrams = weight(5, 2000, 700);
		CartView view = CartView.of(
				cart(units(enough, 5), units(reduced, 5), units(none, 1), units(retired, 1), grams(fewGrams, 1000)),
				offers(enough, reduced, none, retired, fewGrams), 3000);

		assertThat(view.lines()).extracting(LineView::availability)
			.containsExactly(Availability.AVAILABLE, Availability.REDUCED_STOCK, Availability.OUT_OF_STOCK,
					Availability.UNAVAILABLE, Availability.REDUCED_STOCK);
		assertThat(view.lines()).extracting(LineView::availableStock).containsExactly(null, 3L, null, null, 700L);
		assertThat(view.lines()).extracting(LineView::amount).containsExactly(5000L, 5000L, 1000L, 1000L, 2000L);
		assertThat(view.subtotal()).isEqualTo(5000);
		assertThat(view.estimated()).as("no WEIGHT line in the subtotal").isFalse();
		assertThat(view.itemCount()).isEqualTo(5 + 5 + 1 + 1 + 1);
	}

	@Test
	void aLineThatNoLongerFitsItsSkuRulesIsUnavailable() {
		SkuOffer stepChanged = new SkuOffer(1, "W-1", "p", "P", "L", SaleType.WEIGHT, null, 1000L, 500, 500, 5000,
				10_000, true, null);
		SkuOffer nowByWeight = new SkuOffer(2, "W-2", "p", "P", "L", SaleType.WEIGHT, null, 1000L, 500, 500, 5000,
				10_000, true, null);
		CartView view = CartView.of(cart(grams(stepChanged, 750), units(nowByWeight, 2)),
				offers(stepChanged, nowByWeight), 0);
		assertThat(view.lines()).extracting(LineView::availability)
			.containsOnly(Availability.UNAVAILABLE, Availability.UNAVAILABLE);
		assertThat(view.lines().get(1).amount()).as("no amount without a weight").isZero();
		assertThat(view.subtotal()).isZero();
	}

	@Test
	void deliveryNeedsTheMinimumSubtotalAndSaysWhatIsMissing() {
		SkuOffer rice = unit(1, 1000, 100);
		CartView below = CartView.of(cart(units(rice, 2)), offers(rice), 3000);
		assertThat(below.fulfilmentOptions()).containsExactly(
				new FulfilmentOption(FulfilmentType.PICKUP, true, null, null),
				new FulfilmentOption(FulfilmentType.DELIVERY, false, 3000L, 1000L));
		CartView exactly = CartView.of(cart(units(rice, 3)), offers(rice), 3000);
		assertThat(exactly.delivery()).isEqualTo(new FulfilmentOption(FulfilmentType.DELIVERY, true, 3000L, null));
		CartView empty = CartView.of(cart(), Map.of(), 3000);
		assertThat(empty.subtotal()).isZero();
		assertThat(empty.delivery().missingAmount()).isEqualTo(3000);
		assertThat(empty.fulfilmentOptions().get(0).available()).isTrue();
	}

	@Test
	void aQuoteSaysWhetherTheCartMayBeDeliveredWithTheEtaInWholeMinutes() {
		SkuOffer rice = unit(1, 1000, 100);
		Instant until = Instant.parse("2026-01-01T10:30:00Z");
		DestinationCell cell = DestinationCell.of(5.35049, -4.0106);
		CartView below = CartView.of(cart(units(rice, 2)), offers(rice), 3000);
		CartQuote quote = CartQuote
			.of(new KeptQuote(new DeliveryQuote(1000, Duration.ofMinutes(60), "FLAT"), cell, until), below);
		assertThat(quote).isEqualTo(new CartQuote(1000, "XOF", 60, "FLAT", false, 3000, 1000L, 5.35, -4.011, until));
		CartView enough = CartView.of(cart(units(rice, 4)), offers(rice), 3000);
		assertThat(CartQuote
			.of(new KeptQuote(new DeliveryQuote(1500, Duration.ofSeconds(61 * 60 + 1), "YANGO"), cell, until), enough))
			.isEqualTo(new CartQuote(1500, "XOF", 62, "YANGO", true, 3000, null, 5.35, -4.011, until));
	}

	@Test
	void theViewShowsTheKeptQuoteCheckedAgainstTheSubtotalAsItIsNow() {
		SkuOffer rice = unit(1, 1000, 100);
		Instant until = Instant.parse("2026-01-01T10:30:00Z");
		KeptQuote kept = new KeptQuote(new DeliveryQuote(1500, Duration.ofMinutes(45), "YANGO"),
				DestinationCell.of(5.3801, -4.0601), until);
		Cart twoUnits = new Cart(7, until, false, List.of(units(rice, 2)), kept);
		assertThat(CartView.of(twoUnits, offers(rice), 3000).deliveryQuote())
			.isEqualTo(new CartQuote(1500, "XOF", 45, "YANGO", false, 3000, 1000L, 5.38, -4.06, until));
		Cart fourUnits = new Cart(7, until, false, List.of(units(rice, 4)), kept);
		assertThat(CartView.of(fourUnits, offers(rice), 3000).deliveryQuote().deliveryAvailable()).isTrue();
		assertThat(CartView.of(cart(units(rice, 4)), offers(rice), 3000).deliveryQuote()).isNull();
		assertThat(CartView.of(twoUnits, offers(rice), 3000).withToken("t").deliveryQuote()).isNotNull();
	}

	@Test
	void anOrderedCartShowsNoQuoteSinceItGivesNoOtherOrder() {
		SkuOffer rice = unit(1, 1000, 100);
		Instant until = Instant.parse("2026-01-01T10:30:00Z");
		KeptQuote kept = new KeptQuote(new DeliveryQuote(1500, Duration.ofMinutes(45), "YANGO"),
				DestinationCell.of(5.3801, -4.0601), until);
		CartView ordered = CartView.of(new Cart(7, until, true, List.of(units(rice, 4)), kept), offers(rice), 3000);
		assertThat(ordered.ordered()).isTrue();
		assertThat(ordered.deliveryQuote()).isNull();
	}

	@Test
	void aKeptQuoteIsValidForItsValidityButNeverPastTheCartsExpiry() {
		Instant requested = Instant.parse("2026-01-01T10:00:00Z");
		Duration validity = Duration.ofMinutes(30);
		assertThat(KeptQuote.validUntil(requested, validity, requested.plus(Duration.ofDays(7))))
			.isEqualTo(requested.plus(validity));
		assertThat(KeptQuote.validUntil(requested, validity, requested.plus(Duration.ofMinutes(10))))
			.as("the cart expires first")
			.isEqualTo(requested.plus(Duration.ofMinutes(10)));
	}

}
