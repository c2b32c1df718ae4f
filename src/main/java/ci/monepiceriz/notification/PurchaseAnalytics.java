package ci.monepiceriz.notification;

import ci.monepiceriz.notification.domain.Purchase;
import reactor.core.publisher.Mono;

/**
 * The port purchases are reported through (GA4's Measurement Protocol in {@code ga4}).
 */
public interface PurchaseAnalytics {

	/** Whether purchases can be reported (a measurement id and an API secret are set). */
	boolean configured();

	/** Reports one purchase, once: never retried here (the dispatcher decides). */
	Mono<SendOutcome> purchase(Purchase purchase);

}
