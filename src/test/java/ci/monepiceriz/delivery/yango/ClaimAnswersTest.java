package ci.monepiceriz.delivery.yango;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/**
 * Reading Yango's claim answers (yango.md §2.6, §2.8): what the booking and the tracker
 * use.
 */
class ClaimAnswersTest {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void readsAClaimWithItsOfferCourierAndEta() {
		YangoClaims.Claim claim = YangoClaims.claim(json.readTree("""
				{"id":"c1","status":"performer_found","version":3,
				 "pricing":{"offer":{"offer_id":"o","price":"1500.0000","valid_until":"2026-11-26T10:10:00+00:00"}},
				 "performer_info":{"courier_name":"Konan Serge","car_model":"Yamaha Crypton","car_number":"AB 1234 CI"},
				 "eta":12,"updated_ts":"2026-11-26T10:00:00.123456+00:00"}
				"""));

		assertThat(claim)
			.isEqualTo(new YangoClaims.Claim("c1", "performer_found", 3, Instant.parse("2026-11-26T10:00:00.123456Z"),
					Instant.parse("2026-11-26T10:10:00Z"), "Konan Serge", "Yamaha Crypton AB 1234 CI", 12, null));
	}

	@Test
	void readsEstimationErrorsInsideA200AndToleratesMissingParts() {
		YangoClaims.Claim claim = YangoClaims.claim(json.readTree("""
				{"id":"c2","status":"estimating_failed","version":1,"updated_ts":"not a time",
				 "error_messages":[{"code":"estimating.cant_construct_route","message":"…"}]}
				"""));

		assertThat(claim.errors()).isEqualTo("estimating.cant_construct_route");
		assertThat(claim.updatedAt()).isNull();
		assertThat(claim.courierName()).isNull();
		assertThat(claim.vehicle()).isNull();
		assertThat(claim.etaMinutes()).isNull();
		assertThat(claim.offerValidUntil()).isNull();
	}

	@Test
	void keepsOnlyStatusEventsOfAJournalPageAndItsCursor() {
		YangoClaims.JournalPage page = YangoClaims.journalPage(
				json.readTree(
						"""
								{"cursor":"next","events":[
								 {"claim_id":"c1","change_type":"status_changed","new_status":"pickuped","updated_ts":"2026-11-26T10:00:00+00:00"},
								 {"claim_id":"c1","change_type":"price_changed","new_price":"1600.0000","updated_ts":"2026-11-26T10:00:01+00:00"},
								 {"claim_id":"c1","change_type":"status_changed","new_status":"delivered","updated_ts":"2026-11-26T10:20:00Z"}]}
								"""),
				"previous");

		assertThat(page.cursor()).isEqualTo("next");
		assertThat(page.read()).as("every event counts as read").isEqualTo(3);
		assertThat(page.events()).containsExactly(
				new YangoClaims.JournalEvent("c1", "pickuped", Instant.parse("2026-11-26T10:00:00Z")),
				new YangoClaims.JournalEvent("c1", "delivered", Instant.parse("2026-11-26T10:20:00Z")));
	}

	@Test
	void aPageWithoutCursorKeepsThePreviousOne() {
		assertThat(YangoClaims.journalPage(json.readTree("{\"events\":[]}"), "previous").cursor())
			.isEqualTo("previous");
	}

	@Test
	void theTrackingLinkIsTheDestinationsHttpsLinkOnly() {
		assertThat(YangoClaims.sharingLink(json.readTree("""
				{"route_points":[{"id":1,"type":"source","sharing_link":"https://yango.example/source"},
				                 {"id":2,"type":"destination","sharing_link":"https://yango.example/route/c1"}]}
				"""))).isEqualTo("https://yango.example/route/c1");
		assertThat(YangoClaims.sharingLink(json.readTree("""
				{"route_points":[{"id":1,"type":"source","sharing_link":"https://yango.example/source"},
				                 {"id":2,"type":"destination"}]}
				"""))).isNull();
		// shown to shoppers as a link: nothing but an absolute https URL
		for (String link : new String[] { "javascript:alert(1)", "http://yango.example/route/c1", "/route/c1",
				"https://", "https://yango.example/" + "x".repeat(1000), "https://yango example/ x" }) {
			assertThat(YangoClaims
				.sharingLink(json.readTree("{\"route_points\":[{\"type\":\"destination\",\"sharing_link\":"
						+ json.writeValueAsString(link) + "}]}")))
				.as(link)
				.isNull();
		}
		assertThat(YangoClaims.sharingLink(json.readTree("{}"))).isNull();
	}

}
