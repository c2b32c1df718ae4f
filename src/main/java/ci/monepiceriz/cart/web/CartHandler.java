package ci.monepiceriz.cart.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.cart.Carts;
import ci.monepiceriz.cart.domain.CartQuoting;
import ci.monepiceriz.cart.domain.LineAmount;
import ci.monepiceriz.cart.domain.LineChange;
import ci.monepiceriz.catalog.domain.SaleType;
import ci.monepiceriz.catalog.domain.SkuOffer;
import ci.monepiceriz.delivery.domain.QuoteOutcome;
import ci.monepiceriz.shared.Tokens;
import ci.monepiceriz.shared.web.CachedResponses;
import ci.monepiceriz.shared.web.CommonProblem;
import ci.monepiceriz.shared.web.Problem;
import ci.monepiceriz.shared.web.Problem.LocalizedFieldError;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Storefront cart requests. Answers are never cached ({@code Cache-Control: no-store}): a
 * cart changes with every line and with the catalog's prices and stock.
 */
@Component
class CartHandler {

	private final Carts carts;

	CartHandler(Carts carts) {
		this.carts = carts;
	}

	Mono<ServerResponse> create(ServerRequest request) {
		return Mono.defer(() -> {
			CachedResponses.requireAcceptable(request, MediaType.APPLICATION_JSON);
			return carts.create();
		})
			.flatMap(cart -> ServerResponse.created(URI.create("/api/carts/" + cart.token()))
				.contentType(MediaType.APPLICATION_JSON)
				.cacheControl(CacheControl.noStore())
				.bodyValue(cart));
	}

	Mono<ServerResponse> show(ServerRequest request) {
		return token(request).flatMap(carts::show)
			.switchIfEmpty(Mono.error(() -> Problem.of(CartProblem.CART_NOT_FOUND)))
			.flatMap(CartHandler::ok);
	}

	Mono<ServerResponse> setLine(ServerRequest request) {
		String code = request.pathVariable("skuCode");
		return token(request)
			.flatMap(token -> request.bodyToMono(JsonNode.class)
				.map(CartRequests::lineAmount)
				.defaultIfEmpty(LineAmount.NONE)
				.flatMap(amount -> carts.setLine(token, code, amount)))
			.flatMap(CartHandler::answer);
	}

	Mono<ServerResponse> removeLine(ServerRequest request) {
		String code = request.pathVariable("skuCode");
		return token(request).flatMap(token -> carts.removeLine(token, code)).flatMap(CartHandler::answer);
	}

	Mono<ServerResponse> quote(ServerRequest request) {
		return token(request)
			.flatMap(token -> request.bodyToMono(JsonNode.class)
				.switchIfEmpty(Mono.error(() -> Problem.of(CommonProblem.MALFORMED_REQUEST)))
				.map(CartRequests::destination)
				.flatMap(destination -> carts.quote(token, destination)))
			.switchIfEmpty(Mono.error(() -> Problem.of(CartProblem.CART_NOT_FOUND)))
			.flatMap(CartHandler::quoted);
	}

	private static Mono<ServerResponse> quoted(CartQuoting quoting) {
		if (quoting instanceof CartQuoting.Quoted quoted) {
			return ok(quoted.quote());
		}
		if (quoting instanceof CartQuoting.AlreadyOrdered) {
			return Mono.error(Problem.of(CartProblem.CART_ALREADY_ORDERED));
		}
		QuoteOutcome.Reason reason = ((CartQuoting.NotDeliverable) quoting).reason();
		return Mono.error(Problem.of(reason == QuoteOutcome.Reason.NOT_SERVED ? CartProblem.DELIVERY_UNAVAILABLE_HERE
				: CartProblem.DELIVERY_QUOTE_UNAVAILABLE));
	}

	/**
	 * The path's token once the client accepts JSON; a token that cannot be one of ours
	 * is a 404 before anything is read or queried.
	 */
	private static Mono<String> token(ServerRequest request) {
		return Mono.fromSupplier(() -> {
			CachedResponses.requireAcceptable(request, MediaType.APPLICATION_JSON);
			String token = request.pathVariable("token");
			if (!Tokens.looksValid(token)) {
				throw Problem.of(CartProblem.CART_NOT_FOUND);
			}
			return token;
		});
	}

	private static Mono<ServerResponse> ok(Object body) {
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.noStore())
			.bodyValue(body);
	}

	private static Mono<ServerResponse> answer(LineChange change) {
		if (change instanceof LineChange.Changed changed) {
			return ok(changed.cart());
		}
		return Mono.error(refusal(change));
	}

	private static Problem refusal(LineChange change) {
		if (change instanceof LineChange.CartNotFound) {
			return Problem.of(CartProblem.CART_NOT_FOUND);
		}
		if (change instanceof LineChange.AlreadyOrdered) {
			return Problem.of(CartProblem.CART_ALREADY_ORDERED);
		}
		if (change instanceof LineChange.UnknownSku unknown) {
			return Problem.of(CartProblem.SKU_NOT_FOUND, unknown.code());
		}
		if (change instanceof LineChange.UnavailableSku unavailable) {
			return Problem.of(CartProblem.SKU_UNAVAILABLE, displayName(unavailable.offer()));
		}
		if (change instanceof LineChange.InvalidAmount invalid) {
			return Problem.withErrors(CommonProblem.INVALID_PARAMETERS, amountErrors(invalid));
		}
		if (change instanceof LineChange.InsufficientStock shortage) {
			SkuOffer offer = shortage.offer();
			return Problem.of(
					offer.saleType() == SaleType.WEIGHT ? CartProblem.INSUFFICIENT_STOCK_GRAMS
							: CartProblem.INSUFFICIENT_STOCK_UNITS,
					displayName(offer), offer.stock(), shortage.requested());
		}
		if (change instanceof LineChange.CartFull full) {
			return Problem.of(CartProblem.CART_FULL, full.maxLines());
		}
		throw new IllegalStateException("unexpected line change " + change);
	}

	/**
	 * Every field a refused amount gets wrong, each with the SKU's rule: the expected
	 * field when missing or off the rule, and the other one when it was sent.
	 */
	private static List<LocalizedFieldError> amountErrors(LineChange.InvalidAmount invalid) {
		SkuOffer offer = invalid.offer();
		LineAmount amount = invalid.amount();
		List<LocalizedFieldError> errors = new ArrayList<>();
		if (offer.saleType() == SaleType.UNIT) {
			String ruleFr = "un nombre entier entre 1 et " + SkuOffer.MAX_QUANTITY;
			String ruleEn = "a whole number between 1 and " + SkuOffer.MAX_QUANTITY;
			if (amount.quantity() == null) {
				errors.add(new LocalizedFieldError("quantity", "requis pour cet article vendu à l'unité : " + ruleFr,
						"required for this item sold by the unit: " + ruleEn));
			}
			else if (offer.check(amount.quantity(), null) != SkuOffer.AmountCheck.OK) {
				errors.add(new LocalizedFieldError("quantity", "doit être " + ruleFr, "must be " + ruleEn));
			}
			if (amount.grams() != null) {
				errors.add(new LocalizedFieldError("grams", "non accepté : cet article est vendu à l'unité (quantity)",
						"not accepted: this item is sold by the unit (quantity)"));
			}
			return errors;
		}
		String ruleFr = "un multiple de %d g entre %d g et %d g".formatted(offer.stepGrams(), offer.minGrams(),
				offer.maxGrams());
		String ruleEn = "a multiple of %d g between %d g and %d g".formatted(offer.stepGrams(), offer.minGrams(),
				offer.maxGrams());
		if (amount.grams() == null) {
			errors.add(new LocalizedFieldError("grams", "requis pour cet article vendu au poids : " + ruleFr,
					"required for this item sold by weight: " + ruleEn));
		}
		else if (offer.check(null, amount.grams()) != SkuOffer.AmountCheck.OK) {
			errors.add(new LocalizedFieldError("grams", "doit être " + ruleFr, "must be " + ruleEn));
		}
		if (amount.quantity() != null) {
			errors.add(new LocalizedFieldError("quantity", "non accepté : cet article est vendu au poids (grams)",
					"not accepted: this item is sold by weight (grams)"));
		}
		return errors;
	}

	private static String displayName(SkuOffer offer) {
		return offer.productName() + " (" + offer.label() + ")";
	}

}
