package ci.monepiceriz.payment;

import reactor.core.publisher.Mono;

/**
 * The payment provider (CinetPay), seen from the shop. Every call answers an outcome,
 * never an error for the provider's own failures: a timeout, a 5xx, a refused connection
 * or an open circuit is a {@code ProviderUnavailable} outcome, which an HTTP edge maps to
 * 503.
 * <p>
 * Payouts (refunds sent to a customer's mobile-money account) are provider-neutral: a
 * {@link PayoutRequest} names our payout id (the idempotency key, reused by every retry),
 * the amount and an E.164 phone; how the provider is driven (CinetPay v1's login token,
 * contact list and {@code client_transaction_id}) stays in the adapter.
 */
public interface PaymentProvider {

	/**
	 * Opens a payment on the provider's hosted checkout. Never retried: CinetPay refuses
	 * a reused {@code transaction_id}, and a timed-out attempt may have been created, so
	 * the caller starts any new attempt with a fresh transaction id.
	 */
	Mono<Initialisation> initialise(PaymentRequest request);

	/**
	 * The provider's authoritative status of a transaction (the only thing settlement may
	 * trust). Idempotent, so retried a bounded number of times on transient failures.
	 */
	Mono<PaymentCheck> check(String transactionId);

	/**
	 * The transaction a notification says it is about ({@code cpm_trans_id} for the
	 * legacy API, {@code merchant_transaction_id} for the new one), stripped; empty when
	 * it names none. Unverified: only to find what {@link #verifiesNotification} needs.
	 */
	String notifiedTransaction(ReceivedNotification notification);

	/**
	 * Whether a payment notification really comes from the provider; false when nothing
	 * can be verified. Says nothing about the payment itself: only {@link #check} does.
	 * <ul>
	 * <li>Legacy v2: the {@code x-token} header over the raw form fields, keyed by the
	 * merchant's Secret Key; {@code notificationKey} is not read.
	 * <li>New API: the notification's {@code notify_token}, compared in constant time
	 * with the {@code notificationKey} stored for its transaction at initialisation
	 * ({@link Initialisation.Initialised#notificationKey()}); no key stored (an unknown
	 * transaction, or an attempt opened through another API) means false.
	 * </ul>
	 * @param notificationKey the key stored for the transaction the notification names,
	 * read from the database only if this provider subscribes to it (empty when none)
	 */
	Mono<Boolean> verifiesNotification(ReceivedNotification notification, Mono<String> notificationKey);

	/**
	 * The API generation this adapter speaks, recorded on every attempt
	 * ({@code payment_attempt.api}): {@code v2} or {@code new}.
	 */
	String api();

	/**
	 * Sends a payout. Safe to call again with the same {@code payoutId} whatever the
	 * previous outcome: the provider pays one payout id at most once (CinetPay answers
	 * {@code 805} to a duplicate, read as {@link Payout.Sent}), which is also why the
	 * adapter may retry it after a timeout.
	 */
	Mono<Payout> payout(PayoutRequest request);

	/**
	 * The provider's status of the payout {@code payoutId}. Idempotent, retried on
	 * transient failures. The only thing that may move a payout to a final state (a
	 * payout notification's body is never trusted).
	 */
	Mono<PayoutCheck> checkPayout(String payoutId);

}
