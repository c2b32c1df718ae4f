package ci.monepiceriz.notification.domain;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import ci.monepiceriz.ordering.domain.Fulfilment;
import ci.monepiceriz.ordering.domain.Order;
import ci.monepiceriz.ordering.domain.OrderLine;

/**
 * The French confirmation e-mail of a paid order, as plain text: its number, each line
 * (name, quantity or weight, price), the subtotal, the delivery fee, the rounding
 * discount when the payment was rounded down, the amount paid, and how the goods come
 * (pickup in store with its slot, or delivery with address, contact and instructions).
 *
 * @param to the customer's address
 * @param subject the subject line
 * @param text the body
 */
public record ConfirmationEmail(String to, String subject, String text) {

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

	public ConfirmationEmail {
		if (to == null || to.isBlank()) {
			throw new IllegalArgumentException("a confirmation e-mail needs an address");
		}
	}

	/**
	 * The e-mail of {@code order}, paid {@code amountPaid} XOF, times shown in
	 * {@code zone} (the shop's).
	 */
	public static ConfirmationEmail of(Order order, long amountPaid, ZoneId zone) {
		String email = order.customer().email();
		if (email == null || email.isBlank()) {
			throw new IllegalArgumentException("order " + order.number() + " has no e-mail address");
		}
		StringBuilder text = new StringBuilder();
		text.append("Bonjour ").append(order.customer().name()).append(",\n\n");
		text.append("Nous avons bien reçu votre paiement : votre commande ")
			.append(order.number())
			.append(" est confirmée. Merci pour votre confiance !\n\n");
		text.append("Commande : ").append(order.number()).append("\n\n");
		text.append("Vos articles :\n");
		for (OrderLine line : order.lines()) {
			text.append("- ").append(line(line)).append('\n');
		}
		text.append('\n');
		text.append("Sous-total : ").append(FrenchFormat.xof(order.subtotal())).append('\n');
		if (order.fulfilment() instanceof Fulfilment.Delivery) {
			text.append("Frais de livraison : ").append(FrenchFormat.xof(order.deliveryFee())).append('\n');
		}
		text.append("Total : ").append(FrenchFormat.xof(order.total())).append('\n');
		long roundingDiscount = order.total() - amountPaid;
		if (roundingDiscount > 0) {
			text.append("Remise d'arrondi : -")
				.append(FrenchFormat.xof(roundingDiscount))
				.append(" (le paiement mobile se fait par multiples de 5 F CFA)\n");
		}
		text.append("Montant payé : ").append(FrenchFormat.xof(amountPaid)).append("\n\n");
		text.append(fulfilment(order.fulfilment(), zone)).append('\n');
		if (order.estimated()) {
			text.append("Les produits au poids sont pesés lors de la préparation de votre commande : le montant ")
				.append("indiqué est une estimation. Si le poids réel coûte moins, la différence vous est ")
				.append("remboursée ; s'il coûte plus, nous vous contactons avant toute demande de complément.\n\n");
		}
		text.append("Vous pouvez suivre votre commande à tout moment depuis notre site ou notre application.\n\n");
		text.append("À très bientôt,\nL'équipe MonEpice&Riz\n");
		return new ConfirmationEmail(email, "Votre commande " + order.number() + " est confirmée", text.toString());
	}

	private static String line(OrderLine line) {
		String name = line.productName()
				+ (line.label() == null || line.label().isBlank() ? "" : " (" + line.label() + ")");
		if (line.grams() != null) {
			return name + " : " + FrenchFormat.grams(line.grams()) + " à " + FrenchFormat.xof(line.pricePerKg())
					+ "/kg, soit " + FrenchFormat.xof(line.amount()) + " (poids estimé)";
		}
		return name + " : " + line.quantity() + " × " + FrenchFormat.xof(line.unitPrice()) + " = "
				+ FrenchFormat.xof(line.amount());
	}

	private static String fulfilment(Fulfilment fulfilment, ZoneId zone) {
		if (fulfilment instanceof Fulfilment.Delivery delivery) {
			StringBuilder text = new StringBuilder("Livraison à domicile par coursier\n");
			text.append("Adresse : ").append(delivery.address()).append('\n');
			text.append("Téléphone du contact : ").append(delivery.phone()).append('\n');
			if (delivery.instructions() != null && !delivery.instructions().isBlank()) {
				text.append("Instructions : ").append(delivery.instructions()).append('\n');
			}
			return text.toString();
		}
		Fulfilment.Pickup pickup = (Fulfilment.Pickup) fulfilment;
		StringBuilder text = new StringBuilder("Retrait en magasin\n");
		if (pickup.slot() != null) {
			text.append("Créneau : le ")
				.append(DAY.format(pickup.slot().start().atZone(zone)))
				.append(" de ")
				.append(TIME.format(pickup.slot().start().atZone(zone)))
				.append(" à ")
				.append(TIME.format(pickup.slot().end().atZone(zone)))
				.append('\n');
		}
		text.append("Présentez votre numéro de commande au magasin pour retirer vos articles.\n");
		return text.toString();
	}

}
