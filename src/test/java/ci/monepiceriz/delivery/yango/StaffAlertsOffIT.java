package ci.monepiceriz.delivery.yango;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import ci.monepiceriz.delivery.yango.YangoFixtures.Placed;
import ci.monepiceriz.notification.NoticeDispatcher;
import ci.monepiceriz.ordering.OrderingService;
import tools.jackson.databind.json.JsonMapper;

/**
 * Without {@code shop.notification.staff-email} (the default), a delivery problem's staff
 * notice is written and SKIPPED, saying why, and no e-mail goes. {@link YangoClaimsTest}
 * alone, so a whole run shares {@code YangoClaimsIT}'s application context.
 */
@YangoClaimsTest
class StaffAlertsOffIT {

	@Autowired
	WebTestClient web;

	@Autowired
	DatabaseClient db;

	@Autowired
	JsonMapper json;

	@Autowired
	OrderingService ordering;

	@Autowired
	ClaimBooking booking;

	@Autowired
	NoticeDispatcher dispatcher;

	YangoFixtures fixtures;

	@BeforeEach
	void setUp() {
		fixtures = new YangoFixtures(web, db, json);
		fixtures.reset();
	}

	@Test
	void withoutStaffAddressTheAlertIsSkippedAndNothingIsSent() {
		Placed order = fixtures.readyOrder(ordering, -3.954);

		fixtures.book(booking, order.number());
		assertThat(StaffAlertsIT.staffNotices(db, order.number())).containsExactly("STAFF PENDING 0");
		dispatcher.round().block(Duration.ofSeconds(30));

		assertThat(fixtures.claimRow(order.number()).get("state")).isEqualTo("PROBLEM");
		assertThat(StaffAlertsIT.staffNotices(db, order.number())).containsExactly("STAFF SKIPPED 1");
		assertThat(fixtures.count("SELECT count(*) FROM order_notice WHERE order_number = '" + order.number()
				+ "' AND outcome = 'CHANNEL_OFF: no staff address (shop.notification.staff-email)'"))
			.isEqualTo(1);
		assertThat(StaffAlertsIT.staffMailsOf(order.number())).isEmpty();
	}

}
