package ci.monepiceriz.delivery;

import java.time.Instant;

/**
 * Event: a delivery fact ({@code contracts/asyncapi.yaml}): a courier was asked for
 * ({@code BOOKING_REQUESTED}), a claim created or replaced, accepted, a Yango status
 * applied, a courier known (name, vehicle, tracking link), a problem raised, a
 * cancellation. Keyed by the order number, on the orders topic.
 *
 * @param orderNumber the order
 * @param fact what happened
 * @param state our delivery state after it
 * @param claimId Yango's claim, once created
 * @param providerStatus Yango's status, when the fact is one
 * @param tries how many claims this delivery has had
 * @param problem why staff must act, for PROBLEM
 * @param courierName the courier, for COURIER
 * @param vehicle the courier's vehicle (model, colour, plate), for COURIER
 * @param etaMinutes Yango's ETA when the courier was read, for COURIER
 * @param trackingUrl where the shopper follows the courier, for COURIER once Yango has
 * one
 * @param cancelPrice what a paid cancellation costs (decimal string), for CANCELLED
 * @param at when (Yango's updated_ts for statuses)
 */
public record DeliveryStatusChanged(String orderNumber, String fact, String state, String claimId,
		String providerStatus, int tries, String problem, String courierName, String vehicle, Integer etaMinutes,
		String trackingUrl, String cancelPrice, Instant at) {

	public static final String TYPE = "DeliveryStatusChanged";

	public static final int VERSION = 1;

}
