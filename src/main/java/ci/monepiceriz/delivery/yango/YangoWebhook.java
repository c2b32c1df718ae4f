package ci.monepiceriz.delivery.yango;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.delivery.persistence.R2dbcClaims;
import ci.monepiceriz.shared.web.Problem;
import ci.monepiceriz.shared.web.ProblemType;
import ci.monepiceriz.shared.web.Problems;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/webhooks/yango}: Yango's callback (yango.md §2.8), unsigned by design,
 * so only a trigger: the claim must be one of ours, and then the booking job reads
 * {@code claims/info} now (nothing in the callback is applied as such). Answers at once;
 * a claim not ours is a {@code 404} problem and changes nothing.
 */
final class YangoWebhook {

	private static final Pattern CLAIM_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

	private YangoWebhook() {
	}

	static RouterFunction<ServerResponse> routes(R2dbcClaims claims, Clock clock) {
		return route().POST("/api/webhooks/yango", request -> notified(request, claims, clock))
			.onError(Problem.class, Problems::respond)
			.build();
	}

	private static Mono<ServerResponse> notified(ServerRequest request, R2dbcClaims claims, Clock clock) {
		String claimId = request.queryParam("claim_id").orElse("");
		if (!CLAIM_ID.matcher(claimId).matches()) {
			return Mono.<ServerResponse>error(() -> Problem.invalidParameter("claim_id",
					"identifiant de course Yango attendu", "a Yango claim id is expected"));
		}
		return claims.lookNow(claimId, clock.instant())
			.flatMap(known -> known ? Mono.just(true) : claims.known(claimId))
			.flatMap(ours -> ours ? ServerResponse.ok().bodyValue(Map.of("claimId", claimId, "refresh", true))
					: Mono.<ServerResponse>error(() -> Problem.of(WebhookProblem.UNKNOWN_CLAIM, claimId)));
	}

	/** The webhook's own problem. */
	enum WebhookProblem implements ProblemType {

		UNKNOWN_CLAIM(HttpStatus.NOT_FOUND, "unknown-claim", "Course inconnue",
				"La course Yango %s n'est pas la nôtre.", "Unknown claim", "Yango claim %s is not one of ours.");

		private final Text text;

		WebhookProblem(HttpStatus status, String code, String titleFr, String detailFr, String titleEn,
				String detailEn) {
			this.text = new Text(status, code, titleFr, detailFr, titleEn, detailEn);
		}

		@Override
		public Text text() {
			return text;
		}

	}

}
