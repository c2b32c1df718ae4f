package ci.monepiceriz.payment.web;

import org.springframework.http.HttpStatus;

import ci.monepiceriz.shared.web.ProblemType;

/** What a storefront can be refused when starting or following a payment. */
enum PaymentProblem implements ProblemType {

	ORDER_NOT_FOUND(HttpStatus.NOT_FOUND, "order-not-found", "Commande introuvable",
			"Aucune commande %s ne correspond à ce jeton d'accès.", "Order not found",
			"No order %s matches this access token."),
	ORDER_NOT_PAYABLE(HttpStatus.CONFLICT, "order-not-payable", "Commande non payable",
			"La commande %s ne peut plus être payée : elle n'est plus en attente de paiement.", "Order not payable",
			"Order %s can no longer be paid: it is no longer awaiting payment."),
	ORDER_ALREADY_PAID(HttpStatus.CONFLICT, "order-already-paid", "Commande déjà payée",
			"La commande %s est déjà payée.", "Order already paid", "Order %s is already paid."),
	PAYMENT_WINDOW_CLOSED(HttpStatus.CONFLICT, "payment-window-closed", "Délai de paiement dépassé",
			"Le délai de paiement de la commande %s est dépassé ; passez une nouvelle commande.",
			"Payment window closed", "The payment window of order %s has closed; place a new order."),
	AMOUNT_BELOW_MINIMUM(HttpStatus.UNPROCESSABLE_CONTENT, "amount-below-minimum", "Montant trop faible",
			"Le paiement en ligne demande au moins %2$s XOF ; la commande fait %1$s XOF.", "Amount too small",
			"Online payment needs at least %2$s XOF; the order comes to %1$s XOF."),
	PAYMENT_STARTING(HttpStatus.CONFLICT, "payment-starting", "Paiement en cours d'ouverture",
			"Le paiement de cette commande est en cours d'ouverture. Réessayez dans quelques secondes.",
			"Payment being opened", "This order's payment is being opened. Try again in a few seconds."),
	IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
			"Clé d'idempotence déjà utilisée",
			"Cette clé Idempotency-Key a déjà servi pour une autre requête. Utilisez une nouvelle clé.",
			"Idempotency key reused", "This Idempotency-Key was already used for another request. Use a new key."),
	PAYMENT_PROVIDER_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "payment-provider-unavailable",
			"Paiement momentanément indisponible",
			"Le service de paiement ne répond pas. Réessayez dans quelques instants ; rien n'a été débité.",
			"Payment temporarily unavailable",
			"The payment service is not answering. Try again shortly; nothing was charged."),
	PAYMENT_PROVIDER_REFUSED(HttpStatus.BAD_GATEWAY, "payment-provider-refused", "Paiement refusé par le prestataire",
			"Le prestataire de paiement n'a pas pu ouvrir le paiement. Réessayez plus tard ou contactez la boutique.",
			"Payment refused by the provider",
			"The payment provider could not open the payment. Try again later or contact the shop."),
	PAYMENT_NOT_FOUND(HttpStatus.NOT_FOUND, "payment-not-found", "Paiement introuvable",
			"Aucun paiement ne porte l'identifiant %s.", "Payment not found", "No payment has the id %s."),
	WEBHOOK_SIGNATURE_INVALID(HttpStatus.UNAUTHORIZED, "webhook-signature-invalid", "Signature invalide",
			"La notification n'est pas authentifiée (en-tête x-token ou notify_token absent ou faux).",
			"Invalid signature",
			"The notification is not authenticated (x-token header or notify_token missing or wrong)."),
	WEBHOOK_CHECK_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "webhook-check-unavailable",
			"Vérification momentanément impossible",
			"Le statut de la transaction n'a pas pu être vérifié auprès de CinetPay ; rien n'a été modifié. Renvoyez la notification plus tard.",
			"Verification temporarily impossible",
			"The transaction's status could not be checked with CinetPay; nothing was changed. Send the notification again later.");

	private final Text text;

	PaymentProblem(HttpStatus status, String code, String titleFr, String detailFr, String titleEn, String detailEn) {
		this.text = new Text(status, code, titleFr, detailFr, titleEn, detailEn);
	}

	@Override
	public Text text() {
		return text;
	}

}
