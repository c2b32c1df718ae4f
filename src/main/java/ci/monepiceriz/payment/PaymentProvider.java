package ci.monepiceriz.payment;

import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * The payment provider (CinetPay), seen from the shop. Every call answers an outcome,
 * never an error for the provider's own failures: a timeout, a 5xx, a refused connection
 * or an open circuit is a {@code ProviderUnavailable} outcome, which an HTTP edge maps to
 * 503.
 * <p>
 * TODO (issue 5, a later step): {@code payout} and {@code checkPayout}, refunds as
 * transfers through CinetPay's Transfer API (login token cached under 5 minutes, contact
 * added first, {@code client_transaction_id} as idempotency key, status polled until
 * {@code VAL}/{@code REJ}). They are deliberately absent rather than stubbed.
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
	 * Whether a payment notification really comes from the provider: for CinetPay's
	 * legacy API, the {@code x-token} header ({@code signature}, possibly null) over the
	 * raw form fields, keyed by the merchant's Secret Key. False when nothing can be
	 * verified (no key configured). Says nothing about the payment itself: only
	 * {@link #check} does.
	 */
	boolean verifiesNotification(Map<String, String> form, String signature);

}
