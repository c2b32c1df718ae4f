package ci.monepiceriz.payment;

/**
 * What became of a request to send a payout ({@link PaymentProvider#payout}). Only
 * {@link Refused} means the payout can never be made; {@link Deferred} and
 * {@link ProviderUnavailable} are retried later with the same payout id.
 */
public sealed interface Payout permits Payout.Sent, Payout.Refused, Payout.Deferred, Payout.ProviderUnavailable {

	/**
	 * The provider holds the transfer (just created, or already there from an earlier
	 * send with this payout id): follow it with {@link PaymentProvider#checkPayout}.
	 *
	 * @param providerReference the provider's own id of the transfer, blank if not given
	 * @param alreadySent whether the provider said the payout id was already used
	 */
	record Sent(String payoutId, String providerReference, boolean alreadySent) implements Payout {
	}

	/**
	 * The provider will never make this payout (a number that cannot receive it, an
	 * amount out of its bounds): the shop owes the money in another form (store credit).
	 */
	record Refused(String payoutId, String code, String message) implements Payout {
	}

	/**
	 * The provider refused for now and created nothing (its payout balance is short, the
	 * operator is unavailable, a transient error): send again later, same payout id.
	 */
	record Deferred(String payoutId, String code, String message) implements Payout {
	}

	/**
	 * No usable answer (timeouts, 5xx, connection failures after the bounded retries, or
	 * an open circuit): the transfer may or may not exist; send again later with the same
	 * payout id, never a new one.
	 */
	record ProviderUnavailable(String payoutId, String reason) implements Payout {
	}

}
