package ci.monepiceriz.delivery.yango;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.TestPropertySource;

import ci.monepiceriz.support.IntegrationTest;

/**
 * An {@link IntegrationTest} with Yango's claims on against the WireMock stubs of
 * {@code contracts/yango}, fast retries and backoffs, tracked claims re-checked after an
 * hour (no test's booking comes due again while the suite runs), and the booking job and
 * journal poller run only when the test calls them. The classes that carry it share one
 * application context (the same settings); one that needs another setting adds its own
 * {@code @TestPropertySource}, which takes precedence (and gets a context of its own).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@IntegrationTest
@TestPropertySource(properties = { "shop.delivery.yango.enabled=true", "shop.delivery.yango.retries=2",
		"shop.delivery.yango.retry-backoff=20ms", "shop.delivery.yango.retry-max-backoff=50ms",
		"shop.delivery.yango.breaker-failure-threshold=1000", "shop.delivery.yango.claims.estimation-poll=1ms",
		"shop.delivery.yango.claims.retry-backoff=1ms", "shop.delivery.yango.claims.retry-max-backoff=1ms",
		"shop.delivery.yango.claims.call-timeout=8s", "shop.delivery.yango.claims.batch=10",
		"shop.delivery.yango.claims.tracking-recheck=1h" })
@interface YangoClaimsTest {

}
