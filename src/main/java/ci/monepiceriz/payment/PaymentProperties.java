package ci.monepiceriz.payment;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.payment.*} (the provider's own keys are {@code shop.payment.cinetpay.*}).
 *
 * @param reconciliationInterval how often each instance runs a reconciliation round; an
 * attempt is checked at most once per interval
 * @param reconciliationAfter how old a live attempt must be before reconciliation asks
 * the provider about it (the webhook normally settles it before)
 * @param reconciliationGrace how long after the order's payment window a still-pending
 * attempt of an order that can no longer be paid is left before it becomes EXPIRED
 * @param reconciliationBatch how many attempts one claim takes at most
 */
@ConfigurationProperties("shop.payment")
public record PaymentProperties(@DefaultValue("1m") Duration reconciliationInterval,
		@DefaultValue("5m") Duration reconciliationAfter, @DefaultValue("15m") Duration reconciliationGrace,
		@DefaultValue("50") int reconciliationBatch) {

	public PaymentProperties {
		if (reconciliationBatch < 1 || reconciliationBatch > 1000) {
			throw new IllegalArgumentException(
					"shop.payment.reconciliation-batch must be between 1 and 1000: " + reconciliationBatch);
		}
	}

}
