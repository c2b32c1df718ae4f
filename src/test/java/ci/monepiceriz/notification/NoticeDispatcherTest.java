package ci.monepiceriz.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import ci.monepiceriz.notification.domain.Channel;
import ci.monepiceriz.notification.domain.Orders;
import ci.monepiceriz.notification.domain.StaffAlertEmail;
import ci.monepiceriz.notification.persistence.R2dbcNotices;
import ci.monepiceriz.notification.persistence.R2dbcNotices.Claimed;
import ci.monepiceriz.ordering.OrderingProperties;
import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.shared.persistence.Transactions;
import reactor.core.publisher.Mono;

/**
 * The dispatcher's decisions, one claimed notice at a time, with the database and the
 * channels played by mocks: what each outcome of a send becomes (the rows themselves, the
 * claims and the leases are {@code PaymentNoticesIT}'s business).
 */
class NoticeDispatcherTest {

	static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

	static final NotificationProperties PROPERTIES = new NotificationProperties(Duration.ofSeconds(5), 20, 4, 3,
			Duration.ofSeconds(30), Duration.ofMinutes(30), Duration.ofMinutes(5), "");

	final Transactions transactions = mock(Transactions.class);

	final R2dbcNotices notices = mock(R2dbcNotices.class);

	final OrderingService ordering = mock(OrderingService.class);

	final ConfirmationMails mails = mock(ConfirmationMails.class);

	final PurchaseAnalytics analytics = mock(PurchaseAnalytics.class);

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	NoticeDispatcher dispatcher;

	OrderingProperties orderingProperties;

	@BeforeEach
	void setUp() {
		orderingProperties = mock(OrderingProperties.class);
		when(orderingProperties.timeZone()).thenReturn(ZoneId.of("Africa/Abidjan"));
		when(transactions.inTransaction(any())).thenAnswer(call -> call.getArgument(0));
		when(notices.expireLeases(any(), any(), anyInt(), any())).thenReturn(Mono.just(0L));
		when(notices.sent(any(), any())).thenReturn(Mono.just(true));
		when(notices.finish(any(), anyString(), anyString(), any())).thenReturn(Mono.just(true));
		when(notices.retry(any(), anyString(), any())).thenReturn(Mono.just(true));
		when(ordering.order("MER-20261124-0043")).thenReturn(Mono.just(Orders.pickedUp("awa@example.ci")));
		when(ordering.order("MER-20261124-0042")).thenReturn(Mono.just(Orders.delivered("awa@example.ci")));
		when(mails.configured()).thenReturn(true);
		when(mails.serverConfigured()).thenReturn(true);
		when(analytics.configured()).thenReturn(true);
		dispatcher = new NoticeDispatcher(transactions, notices, ordering, mails, analytics, PROPERTIES,
				orderingProperties, meters, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	@Test
	void aSentNoticeIsMarkedSentAndCounted() {
		Claimed email = claimed(Channel.EMAIL, 1);
		when(mails.send(any())).thenReturn(Mono.just(new SendOutcome.Sent()));

		assertThat(round(email)).containsEntry("sent", 1L);

		verify(notices).sent(email, NOW);
		assertThat(meters.counter("shop.notices", "channel", "EMAIL", "outcome", "sent").count()).isEqualTo(1);
	}

	@Test
	void aChannelOffOrNotConfiguredIsSkippedWithoutSendingNorFailing() {
		when(analytics.configured()).thenReturn(false);
		when(mails.configured()).thenReturn(false);
		Claimed ga4 = claimed(Channel.GA4, 1);
		Claimed email = claimed(Channel.EMAIL, 1);

		assertThat(round(ga4, email)).containsEntry("skipped", 2L);

		verify(notices).finish(eq(ga4), eq("SKIPPED"), startsWith("CHANNEL_OFF"), eq(NOW));
		verify(notices).finish(eq(email), eq("SKIPPED"), startsWith("CHANNEL_OFF"), eq(NOW));
		verify(analytics, never()).purchase(any());
		verify(mails, never()).send(any());
	}

	@Test
	void certainlyNotSentIsRetriedAfterTheBackoffUntilTheAttemptsAreSpent() {
		when(mails.send(any())).thenReturn(Mono.just(new SendOutcome.NotSent("connection refused", false)));
		Claimed second = claimed(Channel.EMAIL, 2);
		Claimed last = claimed(Channel.EMAIL, 3);

		assertThat(round(second)).containsEntry("retry", 1L);
		assertThat(round(last)).containsEntry("failed", 1L);

		verify(notices).retry(second, "connection refused", NOW.plus(Duration.ofMinutes(1)));
		verify(notices).finish(eq(last), eq("FAILED"), startsWith("attempts spent"), eq(NOW));
	}

	@Test
	void aPermanentRefusalFailsAtOnce() {
		when(mails.send(any())).thenReturn(Mono.just(new SendOutcome.NotSent("550 unknown user", true)));
		Claimed first = claimed(Channel.EMAIL, 1);

		assertThat(round(first)).containsEntry("failed", 1L);

		verify(notices).finish(eq(first), eq("FAILED"), startsWith("refused"), eq(NOW));
		verify(notices, never()).retry(any(), anyString(), any());
	}

	@Test
	void anUnknownOutcomeIsFinalForAnEmailAndRetriedForGa4() {
		when(mails.send(any())).thenReturn(Mono.just(new SendOutcome.Unknown("no reply")));
		when(analytics.purchase(any())).thenReturn(Mono.just(new SendOutcome.Unknown("timeout")));
		Claimed email = claimed(Channel.EMAIL, 1);
		Claimed ga4 = claimed(Channel.GA4, 1);

		assertThat(round(email, ga4)).containsEntry("unknown", 1L).containsEntry("retry", 1L);

		verify(notices).finish(email, "UNKNOWN", "no reply", NOW);
		verify(notices).retry(eq(ga4), startsWith("outcome unknown"), eq(NOW.plus(Duration.ofSeconds(30))));
	}

	@Test
	void anOutcomeThatCannotBeRecordedLeavesTheNoticeToItsLease() {
		when(mails.send(any())).thenReturn(Mono.just(new SendOutcome.Sent()));
		when(notices.sent(any(), any())).thenReturn(Mono.error(new IllegalStateException("database down")));
		Claimed email = claimed(Channel.EMAIL, 1);

		assertThat(round(email)).containsEntry("error", 1L);

		verify(notices, never()).retry(any(), anyString(), any());
		verify(notices, never()).finish(any(), anyString(), anyString(), any());
	}

	@Test
	void anOrderWithoutEmailIsSkipped() {
		when(ordering.order("MER-20261124-0043")).thenReturn(Mono.just(Orders.pickedUp(null)));
		Claimed email = claimed(Channel.EMAIL, 1);

		assertThat(round(email)).containsEntry("skipped", 1L);

		verify(notices).finish(email, "SKIPPED", "NO_CUSTOMER_EMAIL", NOW);
		verify(mails, never()).send(any());
	}

	@Test
	void aStaffAlertGoesToEveryStaffAddressWithTheProblemEvenWithConfirmationEmailsOff() {
		withStaff(" livraisons@monepiceriz.ci, gerant@monepiceriz.ci ");
		when(mails.configured()).thenReturn(false);
		when(mails.sendStaffAlert(any())).thenReturn(Mono.just(new SendOutcome.Sent()));
		Claimed staff = staff(1);

		assertThat(round(staff)).containsEntry("sent", 1L);

		ArgumentCaptor<StaffAlertEmail> sent = ArgumentCaptor.forClass(StaffAlertEmail.class);
		verify(mails).sendStaffAlert(sent.capture());
		assertThat(sent.getValue().to()).containsExactly("livraisons@monepiceriz.ci", "gerant@monepiceriz.ci");
		assertThat(sent.getValue().subject()).isEqualTo("Livraison à traiter : commande MER-20261124-0042");
		assertThat(sent.getValue().text()).contains("yango:performer_not_found (3 claims tried)");
		verify(mails, never()).send(any());
		verify(notices).sent(staff, NOW);
		assertThat(meters.counter("shop.notices", "channel", "STAFF", "outcome", "sent").count()).isEqualTo(1);
	}

	@Test
	void aStaffAlertWithoutStaffAddressOrMailServerIsSkippedNeverSent() {
		Claimed noAddress = staff(1);

		assertThat(round(noAddress)).containsEntry("skipped", 1L);

		verify(notices).finish(eq(noAddress), eq("SKIPPED"), startsWith("CHANNEL_OFF: no staff address"), eq(NOW));
		withStaff("livraisons@monepiceriz.ci");
		when(mails.serverConfigured()).thenReturn(false);
		Claimed noServer = staff(2);

		assertThat(round(noServer)).containsEntry("skipped", 1L);

		verify(notices).finish(eq(noServer), eq("SKIPPED"), startsWith("CHANNEL_OFF: no mail server"), eq(NOW));
		verify(mails, never()).sendStaffAlert(any());
	}

	@Test
	void aStaffAlertWhoseOutcomeIsUnknownIsNeverSentAgain() {
		withStaff("livraisons@monepiceriz.ci");
		when(mails.sendStaffAlert(any())).thenReturn(Mono.just(new SendOutcome.Unknown("no reply")));
		Claimed staff = staff(1);

		assertThat(round(staff)).containsEntry("unknown", 1L);

		verify(notices).finish(staff, "UNKNOWN", "no reply", NOW);
		verify(notices, never()).retry(any(), anyString(), any());
	}

	@Test
	void staffAddressesAreCheckedAtStartUp() {
		assertThat(staffProperties("").staffAddresses()).isEmpty();
		assertThat(staffProperties(" a@monepiceriz.ci ,b.c@example.co.ci,").staffAddresses())
			.containsExactly("a@monepiceriz.ci", "b.c@example.co.ci");
		for (String bad : List.of("livraisons", "a@", "@monepiceriz.ci", "Staff <a@monepiceriz.ci>",
				"a@monepiceriz.ci;b@monepiceriz.ci", "a b@monepiceriz.ci", "a@-x.ci")) {
			assertThatIllegalArgumentException().as(bad)
				.isThrownBy(() -> staffProperties(bad))
				.withMessageContaining("shop.notification.staff-email");
		}
	}

	private void withStaff(String addresses) {
		dispatcher = new NoticeDispatcher(transactions, notices, ordering, mails, analytics, staffProperties(addresses),
				orderingProperties, meters, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static NotificationProperties staffProperties(String addresses) {
		return new NotificationProperties(Duration.ofSeconds(5), 20, 4, 3, Duration.ofSeconds(30),
				Duration.ofMinutes(30), Duration.ofMinutes(5), addresses);
	}

	private static Claimed staff(int id) {
		return new Claimed(10 + id, "MER-20261124-0042", Channel.STAFF, 0, 1,
				"yango:performer_not_found (3 claims tried)");
	}

	private Map<String, Long> round(Claimed... claimed) {
		when(notices.claim(any(), anyInt())).thenReturn(Mono.just(List.of(claimed)));
		return dispatcher.round().block(Duration.ofSeconds(10));
	}

	private static Claimed claimed(Channel channel, int attempt) {
		return new Claimed(channel.ordinal() + 1, "MER-20261124-0043", channel, 10000, attempt);
	}

}
