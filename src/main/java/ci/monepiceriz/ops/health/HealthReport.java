package ci.monepiceriz.ops.health;

import java.time.Instant;
import java.util.Map;

/** The document of {@code GET /api/health} (PRODUCT.md §11). */
record HealthReport(String status, Instant timestamp, Map<String, Check> checks) {

	/** One check: {@code ok} or {@code error}, with a message for operators. */
	record Check(String status, String message) {
	}

}
