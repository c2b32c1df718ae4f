package ci.monepiceriz.ordering.domain;

/** A shopper's request to turn a cart into an order, validated and normalised. */
public record PlaceOrder(String cartToken, Fulfilment fulfilment, Customer customer) {
}
