package ci.monepiceriz.notification.domain;

import java.util.List;

import ci.monepiceriz.ordering.domain.Customer;
import ci.monepiceriz.ordering.domain.Fulfilment;
import ci.monepiceriz.ordering.domain.Order;

/**
 * The French e-mail telling staff that an order's courier booking became a problem, as
 * plain text: the order number, what went wrong (in words, with Yango's own reason), the
 * customer's name and phone, where the order goes, its total and what was paid, and what
 * to do (deliver it another way then complete the order, or call the customer).
 *
 * @param to the staff's addresses (at least one)
 * @param subject the subject line
 * @param text the body
 */
public record StaffAlertEmail(List<String> to, String subject, String text) {

	public StaffAlertEmail {
		if (to == null || to.isEmpty()) {
			throw new IllegalArgumentException("a staff alert needs at least one address");
		}
		to = List.copyOf(to);
	}

	/**
	 * The alert about {@code order}, whose delivery is a problem for this reason
	 * ({@code problem}, as the booking recorded it: {@code yango:<status> …}), to
	 * {@code to}.
	 */
	public static StaffAlertEmail of(Order order, String problem, List<String> to) {
		Customer customer = order.customer();
		StringBuilder text = new StringBuilder();
		text.append("Bonjour,\n\n");
		text.append("La livraison de la commande ")
			.append(order.number())
			.append(" par coursier Yango ne se fera pas : elle demande votre intervention.\n\n");
		text.append("Commande : ").append(order.number()).append('\n');
		text.append("Problème : ").append(explain(problem)).append('\n');
		text.append("Raison donnée par Yango : ").append(problem == null || problem.isBlank() ? "-" : problem);
		text.append("\n\n");
		text.append("Client : ").append(customer.name()).append('\n');
		text.append("Téléphone du client : ").append(customer.phone()).append('\n');
		if (order.fulfilment() instanceof Fulfilment.Delivery delivery) {
			text.append("Adresse de livraison : ").append(delivery.address()).append('\n');
			text.append("Téléphone du contact : ").append(delivery.phone()).append('\n');
			if (delivery.instructions() != null && !delivery.instructions().isBlank()) {
				text.append("Instructions : ").append(delivery.instructions()).append('\n');
			}
		}
		text.append("Total de la commande : ").append(FrenchFormat.xof(order.total())).append('\n');
		text.append("Déjà payé : ").append(FrenchFormat.xof(order.amountPaid())).append("\n\n");
		text.append("À faire :\n");
		text.append("- livrer la commande autrement (un autre coursier, une personne du magasin), puis la terminer ")
			.append("(statut « terminée ») une fois remise au client ;\n");
		text.append("- ou contacter le client pour convenir d'une autre solution (retrait en magasin, livraison ")
			.append("plus tard, annulation).\n");
		text.append("Aucun nouveau coursier n'est demandé automatiquement pour cette commande.\n\n");
		text.append("Message automatique de MonEpice&Riz\n");
		return new StaffAlertEmail(to, "Livraison à traiter : commande " + order.number(), text.toString());
	}

	/** What the booking's reason means, in words staff read. */
	static String explain(String problem) {
		String status = status(problem);
		if (problem != null && problem.startsWith("yango:create")) {
			return "Yango a refusé la course (adresse, téléphone ou zone non desservie).";
		}
		switch (status) {
			case "performer_not_found":
				return "aucun coursier trouvé, après tous les essais.";
			case "estimating_failed":
				return "Yango n'a pas pu estimer la course, après tous les essais.";
			case "failed":
				return "la course a échoué.";
			case "returning":
			case "return_arrived":
			case "ready_for_return_confirmation":
			case "returned":
			case "returned_finish":
				return "le coursier n'a pas pu remettre la commande et la rapporte au magasin.";
			case "cancelled_by_taxi":
				return "la course a été annulée par le coursier.";
			case "cancelled":
			case "cancelled_with_payment":
			case "cancelled_with_items_on_hands":
				return "la course a été annulée par Yango.";
			default:
				return "la course ne peut pas aboutir.";
		}
	}

	/**
	 * {@code yango:performer_not_found (3 claims tried)} → {@code performer_not_found}.
	 */
	private static String status(String problem) {
		if (problem == null || !problem.startsWith("yango:")) {
			return "";
		}
		String rest = problem.substring("yango:".length());
		int end = 0;
		while (end < rest.length() && (Character.isLetterOrDigit(rest.charAt(end)) || rest.charAt(end) == '_')) {
			end++;
		}
		return rest.substring(0, end);
	}

}
