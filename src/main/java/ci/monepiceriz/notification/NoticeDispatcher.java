package ci.monepiceriz.notification;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import ci.monepiceriz.notification.domain.Channel;
import ci.monepiceriz.notification.domain.ConfirmationEmail;
import ci.monepiceriz.notification.domain.Purchase;
import ci.monepiceriz.notification.domain.StaffAlertEmail;
import ci.monepiceriz.notification.persistence.R2dbcNotices;
import ci.monepiceriz.notification.persistence.R2dbcNotices.Claimed;
import ci.monepiceriz.ordering.OrderingProperties;
import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.ordering.domain.Order;
import ci.monepiceriz.shared.Rounds;
import ci.monepiceriz.shared.persistence.Batches;
import ci.monepiceriz.shared.persistence.Transactions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends orders' notices (a paid order's confirmation e-mail and GA4 purchase; a delivery
 * problem's staff e-mail), on every instance, every
 * {@code shop.notification.dispatch-interval}.
 * <p>
 * A round first hands back notices whose sender died (SENDING past the lease: an e-mail
 * becomes UNKNOWN, a GA4 event is due again), then claims due notices in bounded batches,
 * each claim one short transaction ({@code FOR UPDATE SKIP LOCKED}, status SENDING and
 * one more attempt): instances never hold the same notice. Each claimed notice is then
 * sent outside any transaction and its outcome recorded, conditional on its claim:
 * <ul>
 * <li>sent → SENT;</li>
 * <li>certainly not sent → PENDING again after a doubling pause, or FAILED when the
 * refusal is permanent or the attempts are spent;</li>
 * <li>unknown → UNKNOWN for an e-mail, the customer's or the staff's (never sent twice on
 * its own); due again for GA4, which deduplicates a purchase's repeats;</li>
 * <li>nothing to send (channel off, no customer e-mail, no staff address) → SKIPPED.</li>
 * </ul>
 * A failure while recording an outcome leaves the notice SENDING: the lease decides, as
 * for a dead instance, and a sent e-mail is never sent again because its mark was lost.
 */
@Component
public class NoticeDispatcher {

	private static final Logger log = LoggerFactory.getLogger(NoticeDispatcher.class);

	private final Transactions transactions;

	private final R2dbcNotices notices;

	private final OrderingService ordering;

	private final ConfirmationMails mails;

	private final PurchaseAnalytics analytics;

	private final NotificationProperties properties;

	private final ZoneId zone;

	private final MeterRegistry meters;

	private final Clock clock;

	NoticeDispatcher(Transactions transactions, R2dbcNotices notices, OrderingService ordering, ConfirmationMails mails,
			PurchaseAnalytics analytics, NotificationProperties properties, OrderingProperties orderingProperties,
			MeterRegistry meters, Clock clock) {
		this.transactions = transactions;
		this.notices = notices;
		this.ordering = ordering;
		this.mails = mails;
		this.analytics = analytics;
		this.properties = properties;
		this.zone = orderingProperties.timeZone();
		this.meters = meters;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${shop.notification.dispatch-interval:5s}",
			initialDelayString = "${shop.notification.dispatch-interval:5s}")
	Mono<Void> run() {
		return Rounds.retriedNextTime(round(), log, "Notice dispatch round");
	}

	/** One round: how many notices ended how ({@code sent}, {@code retry}, …). */
	public Mono<Map<String, Long>> round() {
		return Mono.defer(() -> {
			Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
			return expireLeases().then(Batches.untilShort(() -> batch(outcomes), properties.batchSize()))
				.map(handled -> {
					Map<String, Long> summary = new TreeMap<>();
					outcomes.forEach((outcome, count) -> summary.put(outcome, count.get()));
					if (handled > 0) {
						log.info("Notice dispatch: {} notices handled {}", handled, summary);
					}
					return summary;
				});
		});
	}

	private Mono<Void> expireLeases() {
		Instant now = clock.instant();
		return Flux.fromArray(Channel.values())
			.concatMap(channel -> notices
				.expireLeases(channel, now.minus(properties.lease()), properties.maxAttempts(), now)
				.doOnNext(expired -> {
					if (expired > 0) {
						log.error("{} {} notice(s) were still SENDING past the lease (an instance died mid-send): {}",
								expired, channel, channel.resentWhenUnknown() ? "due again" : "UNKNOWN, not resent");
						count(channel, channel.resentWhenUnknown() ? "retry" : "unknown", expired);
					}
				}))
			.then();
	}

	private Mono<Long> batch(Map<String, AtomicLong> outcomes) {
		return transactions.inTransaction(notices.claim(clock.instant(), properties.batchSize()))
			.flatMap(claimed -> Flux.fromIterable(claimed)
				.flatMap(this::dispatch, properties.sendsAtOnce())
				.doOnNext(outcome -> outcomes.computeIfAbsent(outcome, key -> new AtomicLong()).incrementAndGet())
				.then(Mono.just((long) claimed.size())));
	}

	/** What one claimed notice comes to before anything is sent. */
	private sealed interface Prepared permits Skip, Unprepared, Email, Analytics, StaffMail {

	}

	/** Nothing to send, for this reason. */
	private record Skip(String reason) implements Prepared {
	}

	/** It could not be prepared (nothing was sent). */
	private record Unprepared(String reason) implements Prepared {
	}

	private record Email(ConfirmationEmail email) implements Prepared {
	}

	private record Analytics(Purchase purchase) implements Prepared {
	}

	private record StaffMail(StaffAlertEmail email) implements Prepared {
	}

	private Mono<String> dispatch(Claimed notice) {
		return prepare(notice).onErrorResume(error -> Mono.just(new Unprepared(error.toString())))
			.flatMap(prepared -> handle(notice, prepared))
			.onErrorResume(error -> {
				// the outcome could not be recorded: the notice stays SENDING until
				// its lease expires, never sent again because a mark was lost
				log.warn("{} notice of order {}: outcome not recorded, left to the lease: {}", notice.channel(),
						notice.orderNumber(), error.toString());
				return Mono.just("error");
			});
	}

	private Mono<Prepared> prepare(Claimed notice) {
		if (notice.channel() == Channel.EMAIL && !mails.configured()) {
			return Mono.just(new Skip("CHANNEL_OFF: e-mail disabled or no mail server configured"));
		}
		if (notice.channel() == Channel.GA4 && !analytics.configured()) {
			return Mono.just(new Skip("CHANNEL_OFF: GA4 disabled or no measurement id and API secret"));
		}
		if (notice.channel() == Channel.STAFF && properties.staffAddresses().isEmpty()) {
			return Mono.just(new Skip("CHANNEL_OFF: no staff address (shop.notification.staff-email)"));
		}
		if (notice.channel() == Channel.STAFF && !mails.serverConfigured()) {
			return Mono.just(new Skip("CHANNEL_OFF: no mail server configured"));
		}
		return ordering.order(notice.orderNumber())
			.map(order -> prepare(notice, order))
			.switchIfEmpty(Mono.fromSupplier(() -> new Unprepared("order not found")));
	}

	private Prepared prepare(Claimed notice, Order order) {
		if (notice.channel() == Channel.GA4) {
			return new Analytics(Purchase.of(order, notice.amount()));
		}
		if (notice.channel() == Channel.STAFF) {
			return new StaffMail(StaffAlertEmail.of(order, notice.problem(), properties.staffAddresses()));
		}
		String address = order.customer().email();
		if (address == null || address.isBlank()) {
			return new Skip("NO_CUSTOMER_EMAIL");
		}
		return new Email(ConfirmationEmail.of(order, notice.amount(), zone));
	}

	private Mono<String> handle(Claimed notice, Prepared prepared) {
		if (prepared instanceof Skip skip) {
			return notices.finish(notice, "SKIPPED", skip.reason(), clock.instant()).map(done -> {
				log.info("{} notice of order {} skipped: {}", notice.channel(), notice.orderNumber(), skip.reason());
				return record(notice.channel(), "skipped");
			});
		}
		if (prepared instanceof Unprepared unprepared) {
			return outcome(notice, new SendOutcome.NotSent(unprepared.reason(), false));
		}
		Mono<SendOutcome> send;
		if (prepared instanceof Email email) {
			send = mails.send(email.email());
		}
		else if (prepared instanceof StaffMail staff) {
			send = mails.sendStaffAlert(staff.email());
		}
		else {
			send = analytics.purchase(((Analytics) prepared).purchase());
		}
		return send
			// an adapter answers outcomes; an error out of one is a bug, after
			// which nobody knows whether the message went
			.onErrorResume(error -> Mono.just(new SendOutcome.Unknown(error.toString())))
			.switchIfEmpty(Mono.fromSupplier(() -> new SendOutcome.Unknown("no outcome")))
			.flatMap(outcome -> outcome(notice, outcome));
	}

	private Mono<String> outcome(Claimed notice, SendOutcome outcome) {
		Instant now = clock.instant();
		Channel channel = notice.channel();
		boolean attemptsLeft = notice.attempt() < properties.maxAttempts();
		if (outcome instanceof SendOutcome.Sent) {
			return notices.sent(notice, now).map(marked -> {
				log.info("{} notice of order {} sent", channel, notice.orderNumber());
				return record(channel, "sent");
			});
		}
		if (outcome instanceof SendOutcome.NotSent notSent) {
			if (notSent.permanent() || !attemptsLeft) {
				String why = (notSent.permanent() ? "refused: " : "attempts spent: ") + notSent.reason();
				return notices.finish(notice, "FAILED", why, now).map(marked -> {
					log.error("{} notice of order {} FAILED after {} attempt(s), not sent: {}", channel,
							notice.orderNumber(), notice.attempt(), why);
					return record(channel, "failed");
				});
			}
			return retry(notice, notSent.reason(), now);
		}
		String reason = ((SendOutcome.Unknown) outcome).reason();
		if (channel.resentWhenUnknown() && attemptsLeft) {
			return retry(notice, "outcome unknown: " + reason, now);
		}
		return notices.finish(notice, "UNKNOWN", reason, now).map(marked -> {
			log.error("{} notice of order {}: outcome UNKNOWN ({}), not sent again automatically", channel,
					notice.orderNumber(), reason);
			return record(channel, "unknown");
		});
	}

	private Mono<String> retry(Claimed notice, String reason, Instant now) {
		Instant due = now.plus(properties.backoff().after(notice.attempt()));
		return notices.retry(notice, reason, due).map(marked -> {
			log.warn("{} notice of order {} not sent (attempt {}), next attempt at {}: {}", notice.channel(),
					notice.orderNumber(), notice.attempt(), due, reason);
			return record(notice.channel(), "retry");
		});
	}

	private String record(Channel channel, String outcome) {
		count(channel, outcome, 1);
		return outcome;
	}

	private void count(Channel channel, String outcome, long times) {
		meters.counter("shop.notices", "channel", channel.name(), "outcome", outcome).increment(times);
	}

}
