package ci.monepiceriz.ordering.web;

import org.springframework.http.HttpStatus;

import ci.monepiceriz.shared.web.ProblemType;

/** What a storefront can get wrong, or be refused, when placing or following an order. */
enum OrderingProblem implements ProblemType {

	UNKNOWN_CART(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-cart", "Panier introuvable",
			"Ce panier n'existe pas ou a expiré. Créez un nouveau panier.", "Unknown cart",
			"This cart does not exist or has expired. Create a new cart."),
	CART_ALREADY_ORDERED(HttpStatus.CONFLICT, "cart-already-ordered", "Panier déjà commandé",
			"Une commande a déjà été passée avec ce panier.", "Cart already ordered",
			"An order was already placed from this cart."),
	EMPTY_CART(HttpStatus.UNPROCESSABLE_CONTENT, "empty-cart", "Panier vide",
			"Ajoutez au moins un article au panier avant de commander.", "Empty cart",
			"Add at least one item to the cart before ordering."),
	LINES_UNAVAILABLE(HttpStatus.CONFLICT, "lines-unavailable", "Articles indisponibles",
			"Certains articles ne peuvent pas être servis en l'état ; rien n'a été réservé. Modifiez le panier puis réessayez.",
			"Items unavailable",
			"Some items cannot be served as they are; nothing was reserved. Change the cart and try again."),
	DELIVERY_MINIMUM_NOT_REACHED(HttpStatus.UNPROCESSABLE_CONTENT, "delivery-minimum-not-reached",
			"Montant minimum de livraison non atteint",
			"La livraison est possible à partir de %s XOF d'achats ; votre panier fait %s XOF. Ajoutez des articles ou choisissez le retrait en magasin.",
			"Delivery minimum not reached",
			"Delivery needs a subtotal of at least %s XOF; your cart comes to %s XOF. Add items or choose store pickup."),
	DELIVERY_UNAVAILABLE_HERE(HttpStatus.UNPROCESSABLE_CONTENT, "delivery-unavailable", "Livraison indisponible ici",
			"Nous ne pouvons pas livrer à cette adresse ; rien n'a été réservé. Vérifiez le point sur la carte ou choisissez le retrait en magasin.",
			"Delivery unavailable here",
			"We cannot deliver to this address; nothing was reserved. Check the point on the map or choose store pickup."),
	DELIVERY_QUOTE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "delivery-quote-unavailable",
			"Livraison momentanément indisponible",
			"Le prix de la livraison ne peut pas être calculé pour le moment ; rien n'a été réservé. Réessayez dans quelques minutes ou choisissez le retrait en magasin.",
			"Delivery temporarily unavailable",
			"The delivery price cannot be computed right now; nothing was reserved. Try again in a few minutes or choose store pickup."),
	IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
			"Clé d'idempotence déjà utilisée",
			"Cette clé Idempotency-Key a déjà servi pour une autre requête. Utilisez une nouvelle clé pour une nouvelle commande.",
			"Idempotency key reused",
			"This Idempotency-Key was already used for another request. Use a new key for a new order."),
	ORDER_NOT_FOUND(HttpStatus.NOT_FOUND, "order-not-found", "Commande introuvable",
			"Aucune commande %s ne correspond à ce jeton d'accès.", "Order not found",
			"No order %s matches this access token.");

	private final Text text;

	OrderingProblem(HttpStatus status, String code, String titleFr, String detailFr, String titleEn, String detailEn) {
		this.text = new Text(status, code, titleFr, detailFr, titleEn, detailEn);
	}

	@Override
	public Text text() {
		return text;
	}

}
