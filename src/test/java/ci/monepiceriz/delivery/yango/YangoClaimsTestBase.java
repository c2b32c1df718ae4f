package ci.monepiceriz.delivery.yango;

import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import ci.monepiceriz.ordering.OrderingService;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every {@link YangoClaimsTest} class uses: the API, the database, orders and the
 * booking job, {@link YangoFixtures} over a clean Yango stub (cache, scenarios and
 * request journal reset before each test), and the stubs a test adds, removed after it.
 */
abstract class YangoClaimsTestBase {

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

	YangoFixtures fixtures;

	/** Stubs a test added, removed after it. */
	final List<StubMapping> stubs = new ArrayList<>();

	@BeforeEach
	void startWithACleanYango() {
		fixtures = new YangoFixtures(web, db, json);
		fixtures.reset();
	}

	@AfterEach
	void removeTheTestsStubs() {
		stubs.forEach(fixtures.yango::removeStub);
	}

}
