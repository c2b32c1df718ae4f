package ci.monepiceriz.ordering.domain;

/** Where an order is in its life (PRODUCT.md §5), with the label staff see. */
public enum OrderStatus {

	PENDING("En attente"), CONFIRMED("Confirmée"), PREPARING("En préparation"), READY("Prête"), COMPLETED("Complétée"),
	CANCELLED("Annulée");

	private final String label;

	OrderStatus(String label) {
		this.label = label;
	}

	public String label() {
		return label;
	}

	/** No transition leaves a final status. */
	public boolean isFinal() {
		return this == COMPLETED || this == CANCELLED;
	}

}
