package ci.monepiceriz.ordering.domain;

/** Where an order's money is, tracked beside its status (PRODUCT.md §5). */
public enum PaymentStatus {

	UNPAID, PAID, PARTIALLY_REFUNDED, REFUNDED, FAILED

}
