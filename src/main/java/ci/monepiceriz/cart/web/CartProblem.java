package ci.monepiceriz.cart.web;

import org.springframework.http.HttpStatus;

import ci.monepiceriz.shared.web.ProblemType;

/**
 * What a storefront can get wrong, or be refused, with a cart. Both stock problems share
 * the code {@code insufficient-stock}: their texts differ by unit (units or grams).
 */
enum CartProblem implements ProblemType {

	CART_NOT_FOUND(HttpStatus.NOT_FOUND, "cart-not-found", "Panier introuvable",
			"Ce panier n'existe pas ou a expiré faute d'activité. Créez un nouveau panier.", "Cart not found",
			"This cart does not exist or has expired after a period of inactivity. Create a new cart."),
	CART_ALREADY_ORDERED(HttpStatus.CONFLICT, "cart-already-ordered", "Panier déjà commandé",
			"Une commande a déjà été passée avec ce panier : il ne peut plus être modifié. Créez un nouveau panier.",
			"Cart already ordered",
			"An order has already been placed from this cart: it can no longer be changed. Create a new cart."),
	SKU_NOT_FOUND(HttpStatus.NOT_FOUND, "sku-not-found", "Article introuvable",
			"Aucun article ne porte le code « %s ».", "Item not found", "No item has code \"%s\"."),
	SKU_UNAVAILABLE(HttpStatus.CONFLICT, "sku-unavailable", "Article indisponible",
			"L'article « %s » n'est plus en vente.", "Item unavailable", "Item \"%s\" is no longer sold."),
	INSUFFICIENT_STOCK_UNITS(HttpStatus.CONFLICT, "insufficient-stock", "Stock insuffisant",
			"Stock insuffisant pour « %s » : %s unité(s) disponible(s), %s demandée(s).", "Insufficient stock",
			"Not enough stock of \"%s\": %s unit(s) available, %s requested."),
	INSUFFICIENT_STOCK_GRAMS(HttpStatus.CONFLICT, "insufficient-stock", "Stock insuffisant",
			"Stock insuffisant pour « %s » : %s g disponibles, %s g demandés.", "Insufficient stock",
			"Not enough stock of \"%s\": %s g available, %s g requested."),
	CART_FULL(HttpStatus.CONFLICT, "cart-full", "Panier plein",
			"Un panier contient au plus %s articles différents : retirez-en un avant d'en ajouter un autre.",
			"Cart full", "A cart holds at most %s different items: remove one before adding another."),
	DELIVERY_UNAVAILABLE_HERE(HttpStatus.UNPROCESSABLE_CONTENT, "delivery-unavailable", "Livraison indisponible ici",
			"Nous ne pouvons pas livrer à cette adresse. Vérifiez le point sur la carte ou choisissez le retrait en magasin.",
			"Delivery unavailable here",
			"We cannot deliver to this address. Check the point on the map or choose store pickup."),
	DELIVERY_QUOTE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "delivery-quote-unavailable",
			"Livraison momentanément indisponible",
			"Le prix de la livraison ne peut pas être calculé pour le moment. Réessayez dans quelques minutes ou choisissez le retrait en magasin.",
			"Delivery temporarily unavailable",
			"The delivery price cannot be computed right now. Try again in a few minutes or choose store pickup.");

	private final Text text;

	CartProblem(HttpStatus status, String code, String titleFr, String detailFr, String titleEn, String detailEn) {
		this.text = new Text(status, code, titleFr, detailFr, titleEn, detailEn);
	}

	@Override
	public Text text() {
		return text;
	}

}
