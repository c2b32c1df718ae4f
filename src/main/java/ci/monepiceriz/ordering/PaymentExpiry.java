package ci.monepiceriz.ordering;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import ci.monepiceriz.shared.Rounds;
import reactor.core.publisher.Mono;

/**
 * Runs the expiry of unpaid orders on every instance, every
 * {@code shop.ordering.expiry-interval}; the instances share the work without doing any
 * of it twice ({@link OrderingService#expireOverdue()}).
 */
@Component
class PaymentExpiry {

	private static final Logger log = LoggerFactory.getLogger(PaymentExpiry.class);

	private final OrderingService ordering;

	PaymentExpiry(OrderingService ordering) {
		this.ordering = ordering;
	}

	@Scheduled(fixedDelayString = "${shop.ordering.expiry-interval:10s}",
			initialDelayString = "${shop.ordering.expiry-interval:10s}")
	Mono<Void> run() {
		return Rounds.retriedNextTime(ordering.expireOverdue().doOnNext(count -> {
			if (count > 0) {
				log.info("Cancelled {} unpaid orders past their payment window; their stock is back", count);
			}
		}), log, "Payment expiry round");
	}

}
