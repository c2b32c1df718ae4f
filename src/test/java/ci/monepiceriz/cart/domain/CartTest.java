package ci.monepiceriz.cart.domain;

import static ci.monepiceriz.cart.domain.CartViewTest.grams;
import static ci.monepiceriz.cart.domain.CartViewTest.unit;
import static ci.monepiceriz.cart.domain.CartViewTest.units;
import static ci.monepiceriz.cart.domain.CartViewTest.weight;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import ci.monepiceriz.catalog.domain.SaleType;
import ci.monepiceriz.catalog.domain.SkuOffer;
import ci.monepiceriz.catalog.domain.SkuOffer.AmountCheck;

class CartTest {

	static final Instant EXPIRES = Instant.parse("2026-12-01T10:00:00Z");

	static final SkuOffer RICE = unit(1, 4500, 10);

	static final SkuOffer FISH = weight(2, 4000, 3000);

	static Cart open(Cart.Line... lines) {
		return new Cart(1, EXPIRES, false, List.of(lines));
	}

	@Test
	void takesAnAmountThatFitsTheSkuAndItsStock() {
		assertThat(open().refuseLine("UNIT-1", RICE, new LineAmount(10, null), 50)).isEmpty();
		assertThat(open().refuseLine("WEIGHT-2", FISH, new LineAmount(null, 3000), 50)).isEmpty();
	}

	@Test
	void refusesAnOrderedCartWhateverTheSku() {
		Cart ordered = new Cart(1, EXPIRES, true, List.of());
		assertThat(ordered.refuseLine("NOPE", null, new LineAmount(1, null), 50))
			.contains(new LineChange.AlreadyOrdered());
	}

	@Test
	void refusesAnUnknownOrUnavailableSku() {
		assertThat(open().refuseLine("NOPE", null, new LineAmount(1, null), 50))
			.contains(new LineChange.UnknownSku("NOPE"));
		SkuOffer retired = new SkuOffer(3, "R-3", "p", "P", "L", SaleType.UNIT, 100L, null, null, null, null, 10, false,
				null);
		assertThat(open().refuseLine("R-3", retired, new LineAmount(1, null), 50))
			.contains(new LineChange.UnavailableSku(retired));
	}

	@Test
	void refusesAmountsOffTheSkuRules() {
		assertThat(check(RICE, 0, null)).isEqualTo(AmountCheck.QUANTITY_OUT_OF_RANGE);
		assertThat(check(RICE, 1000, null)).isEqualTo(AmountCheck.QUANTITY_OUT_OF_RANGE);
		assertThat(check(RICE, null, 500)).isEqualTo(AmountCheck.QUANTITY_EXPECTED);
		assertThat(check(FISH, null, 750 + 1)).isEqualTo(AmountCheck.OFF_STEP);
		assertThat(check(FISH, null, 250)).isEqualTo(AmountCheck.BELOW_MIN_GRAMS);
		assertThat(check(FISH, null, 5250)).isEqualTo(AmountCheck.ABOVE_MAX_GRAMS);
		assertThat(check(FISH, 2, null)).isEqualTo(AmountCheck.GRAMS_EXPECTED);
		assertThat(check(FISH, null, null)).isEqualTo(AmountCheck.GRAMS_EXPECTED);
	}

	private static AmountCheck check(SkuOffer offer, Integer quantity, Integer grams) {
		Optional<LineChange> refusal = open().refuseLine(offer.code(), offer, new LineAmount(quantity, grams), 50);
		assertThat(refusal).containsInstanceOf(LineChange.InvalidAmount.class);
		return ((LineChange.InvalidAmount) refusal.get()).check();
	}

	@Test
	void refusesMoreThanTheCurrentStock() {
		assertThat(open().refuseLine("UNIT-1", RICE, new LineAmount(11, null), 50))
			.contains(new LineChange.InsufficientStock(RICE, 11));
		assertThat(open().refuseLine("WEIGHT-2", FISH, new LineAmount(null, 3250), 50))
			.contains(new LineChange.InsufficientStock(FISH, 3250));
	}

	@Test
	void aFullCartTakesNoNewSkuButStillChangesTheOnesItHolds() {
		List<Cart.Line> lines = new ArrayList<>();
		for (long id = 100; id < 103; id++) {
			lines.add(units(unit(id, 100, 10), 1));
		}
		lines.add(grams(FISH, 500));
		Cart full = new Cart(1, EXPIRES, false, lines);
		assertThat(full.refuseLine("UNIT-1", RICE, new LineAmount(1, null), 4)).contains(new LineChange.CartFull(4));
		assertThat(full.refuseLine("WEIGHT-2", FISH, new LineAmount(null, 1000), 4)).isEmpty();
		assertThat(full.refuseLine("UNIT-1", RICE, new LineAmount(1, null), 5)).isEmpty();
	}

	@Test
	void checkoutSeesTheLinesInTheOrderTheyWereAdded() {
		Cart cart = new Cart(9, EXPIRES, false, List.of(grams(FISH, 1500), units(RICE, 2)));
		CheckoutCart checkout = cart.forCheckout();
		assertThat(checkout.id()).isEqualTo(9);
		assertThat(checkout.ordered()).isFalse();
		assertThat(checkout.lines()).containsExactly(new CheckoutCart.Line(2, "WEIGHT-2", null, 1500),
				new CheckoutCart.Line(1, "UNIT-1", 2, null));
	}

}
