package ci.monepiceriz.delivery.yango;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import ci.monepiceriz.shared.CircuitBreaker;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Yango's claim methods (yango.md §2.2–§2.10) over the adapter's {@link YangoHttp}: the
 * Bearer token and {@code Accept-Language} on every call, a budget per call
 * ({@code claims.call-timeout}), one {@link CircuitBreaker} for all of them, each call
 * timed ({@code delivery.provider.requests}, {@code operation} = the method).
 * <p>
 * Retries fit idempotency (yango.md §2.10): {@code info}, {@code journal},
 * {@code cancel-info} and {@code create} (same {@code request_id}: Yango answers the same
 * claim) are retried after a timeout, a connection failure, a 5xx or a 429 (its
 * {@code Retry-After} when short), and so is {@code tracking-links} (a GET);
 * {@code accept} and {@code cancel} never are: their caller reads {@code claims/info}
 * again first. A call that still fails is {@link Unavailable}: the caller's job tries
 * again later.
 */
class YangoClaims {

	static final String BASE = "/b2b/cargo/integration/v2/claims/";

	/** The 400 codes of claims/create about the delivery itself (yango.md §2.4). */
	private static final Set<String> DELIVERY_REFUSALS = Set.of("validation_error", "unknown_zone",
			"country_phone_code_not_supported", "item_source_point_not_found", "item_destination_point_not_found",
			"due_in_past", "delay_too_long", "different_cost_currencies", "max_order_cost_exceeded",
			"unsupported_points_count");

	private final YangoClaimsProperties claims;

	private final YangoHttp http;

	private final JsonMapper json;

	private final MeterRegistry meters;

	private final CircuitBreaker breaker;

	YangoClaims(YangoClaimsProperties claims, YangoHttp http, JsonMapper json, MeterRegistry meters,
			CircuitBreaker breaker) {
		this.claims = claims;
		this.http = http;
		this.json = json;
		this.meters = meters;
		this.breaker = breaker;
	}

	/** Yango's answer to a call: its status and JSON body (an empty object if none). */
	record Reply(int status, JsonNode body) {

		boolean ok() {
			return status == 200;
		}

		/** Yango's error code ({@code {"code": …}}), or the HTTP status. */
		String code() {
			JsonNode code = body.path("code");
			return code.isString() ? code.asString() : "HTTP " + status;
		}

	}

	/** Yango could not be reached or kept failing: try again later. */
	static final class Unavailable extends RuntimeException {

		Unavailable(String reason) {
			super(reason, null, false, false);
		}

	}

	/** A claim as {@code claims/info} (or create) describes it. */
	record Claim(String id, String status, long version, Instant updatedAt, Instant offerValidUntil, String courierName,
			String vehicle, Integer etaMinutes, String errors) {
	}

	/** One journal event: a claim's status at {@code updatedAt}. */
	record JournalEvent(String claimId, String status, Instant updatedAt) {
	}

	/**
	 * A journal page and the cursor after it: its status changes, and how many events it
	 * held in all ({@code price_changed} ones included).
	 */
	record JournalPage(String cursor, List<JournalEvent> events, int read) {
	}

	/**
	 * {@code claims/create}. A 4xx that is not Yango refusing this delivery
	 * ({@link #refusesDelivery}) says nothing about the order: a rotated token (401), an
	 * account or host misconfigured (403, 404), a conflict (409), a 400 of another kind.
	 * It is {@link Unavailable}, a failure for the circuit breaker, so that every READY
	 * order waits and is booked once fixed, instead of each becoming a PROBLEM.
	 */
	Mono<Reply> create(String requestId, Map<String, Object> body) {
		return call("create", "create?request_id={id}", requestId, body, true,
				reply -> reply.status() >= 400 && reply.status() < 500 && !refusesDelivery(reply));
	}

	/**
	 * Whether Yango refuses this delivery (its address, phone, zone, items): a 400 whose
	 * code is one of §2.4's about the claim's content ({@code address_*},
	 * {@code invalid_phone*}, {@code estimating.*} and the others listed); a new claim
	 * would be refused alike, so it is a PROBLEM for staff.
	 */
	static boolean refusesDelivery(Reply reply) {
		if (reply.status() != 400) {
			return false;
		}
		String code = reply.code();
		return code.startsWith("address_") || code.startsWith("invalid_phone") || code.startsWith("estimating.")
				|| DELIVERY_REFUSALS.contains(code);
	}

	Mono<Reply> info(String claimId) {
		return call("info", "info?claim_id={id}", claimId, Map.of(), true);
	}

	Mono<Reply> accept(String claimId, long version) {
		return call("accept", "accept?claim_id={id}", claimId, Map.of("version", version), false);
	}

	Mono<Reply> cancelInfo(String claimId) {
		return call("cancel-info", "cancel-info?claim_id={id}", claimId, Map.of(), true);
	}

	Mono<Reply> cancel(String claimId, long version, String cancelState) {
		return call("cancel", "cancel?claim_id={id}", claimId, Map.of("version", version, "cancel_state", cancelState),
				false);
	}

	/** {@code GET claims/tracking-links}: the links the recipient may follow. */
	Mono<Reply> trackingLinks(String claimId) {
		return call("tracking-links", "tracking-links?claim_id={id}", claimId, null, true);
	}

	/**
	 * The recipient's tracking link: the {@code sharing_link} of the destination point
	 * ({@code route_points[]}, type {@code destination}), only if it is an absolute https
	 * URL of at most 1000 characters (it is shown to shoppers as a link); else null.
	 */
	static String sharingLink(JsonNode body) {
		for (JsonNode point : body.path("route_points")) {
			String link = text(point, "sharing_link");
			if ("destination".equals(text(point, "type")) && link != null && link.length() <= 1000) {
				try {
					URI uri = new URI(link);
					if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null) {
						return link;
					}
				}
				catch (URISyntaxException ex) {
					// not a link: ignored
				}
			}
		}
		return null;
	}

	Mono<JournalPage> journal(String cursor) {
		Map<String, Object> body = cursor == null ? Map.of() : Map.of("cursor", cursor);
		return call("journal", "journal?limit={id}", Integer.toString(claims.batch()), body, true).flatMap(reply -> {
			if (!reply.ok()) {
				return Mono.error(() -> new Unavailable("journal answered " + reply.code()));
			}
			return Mono.just(journalPage(reply.body(), cursor));
		});
	}

	static JournalPage journalPage(JsonNode body, String previous) {
		List<JournalEvent> events = new ArrayList<>();
		int read = 0;
		for (JsonNode event : body.path("events")) {
			read++;
			String status = text(event, "new_status");
			Instant at = instant(text(event, "updated_ts"));
			String claimId = text(event, "claim_id");
			// price_changed events carry no status: nothing to apply
			if (status != null && at != null && claimId != null) {
				events.add(new JournalEvent(claimId, status, at));
			}
		}
		String cursor = text(body, "cursor");
		return new JournalPage(cursor == null ? previous : cursor, events, read);
	}

	static Claim claim(JsonNode body) {
		JsonNode offer = body.path("pricing").path("offer");
		JsonNode performer = body.path("performer_info");
		String vehicle = String.join(" ",
				Stream.of(text(performer, "car_model"), text(performer, "car_color"), text(performer, "car_number"))
					.filter(part -> part != null && !part.isBlank())
					.toList());
		StringBuilder errors = new StringBuilder();
		for (JsonNode error : body.path("error_messages")) {
			errors.append(errors.isEmpty() ? "" : "; ")
				.append(text(error, "code") != null ? text(error, "code") : text(error, "message"));
		}
		JsonNode eta = body.path("eta");
		return new Claim(text(body, "id"), text(body, "status"), body.path("version").asLong(0),
				instant(text(body, "updated_ts")), instant(text(offer, "valid_until")), text(performer, "courier_name"),
				vehicle.isEmpty() ? null : vehicle, eta.isNumber() ? Integer.valueOf(eta.asInt()) : null,
				errors.isEmpty() ? null : errors.toString());
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isString() ? value.asString() : null;
	}

	/** Yango's timestamps are ISO 8601 with an offset; unreadable → null. */
	static Instant instant(String value) {
		if (value == null) {
			return null;
		}
		try {
			return OffsetDateTime.parse(value).toInstant();
		}
		catch (DateTimeParseException ex) {
			try {
				return Instant.parse(value);
			}
			catch (DateTimeParseException again) {
				return null;
			}
		}
	}

	private Mono<Reply> call(String operation, String path, String id, Map<String, Object> body, boolean idempotent) {
		return call(operation, path, id, body, idempotent, reply -> false);
	}

	/**
	 * The same; an answer {@code unusable} accepts is {@link Unavailable}, not retried.
	 */
	private Mono<Reply> call(String operation, String path, String id, Map<String, Object> body, boolean idempotent,
			Predicate<Reply> unusable) {
		return Mono.defer(() -> {
			Timer.Sample sample = Timer.start(meters);
			if (!breaker.tryAcquire()) {
				sample.stop(timer(operation, "circuit-open"));
				return Mono.error(new Unavailable("circuit open: Yango failed repeatedly"));
			}
			byte[] bytes = body == null ? null : json.writeValueAsBytes(body);
			Mono<Reply> attempt = Mono.defer(() -> http.exchange(BASE + path, id, bytes)).flatMap(this::reply);
			// accept and cancel without any retryWhen: Retry.max(0) would wrap their
			// failure in a RetryExhaustedException, which is never Unavailable
			return (idempotent ? attempt.retryWhen(http.retries(operation)) : attempt).timeout(claims.callTimeout())
				.flatMap(reply -> unusable.test(reply)
						? Mono.<Reply>error(
								new Unavailable(operation + " answered " + reply.status() + " (" + reply.code() + ")"))
						: Mono.just(reply))
				.onErrorMap(YangoHttp::providerFailure,
						failure -> new Unavailable(operation + ": " + YangoHttp.reason(failure)))
				.doOnNext(reply -> {
					breaker.succeeded();
					sample.stop(timer(operation, reply.ok() ? "ok" : "refused"));
				})
				.doOnError(error -> {
					if (error instanceof Unavailable) {
						breaker.failed();
						sample.stop(timer(operation, "unavailable"));
					}
					else {
						breaker.abandoned();
						sample.stop(timer(operation, "error"));
					}
				})
				.doOnCancel(() -> {
					breaker.abandoned();
					sample.stop(timer(operation, "cancelled"));
				});
		});
	}

	/**
	 * The answer's JSON (an unreadable one is a server failure: retried when allowed).
	 */
	private Mono<Reply> reply(YangoHttp.Response response) {
		JsonNode body;
		try {
			body = response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
		}
		catch (RuntimeException unreadable) {
			return Mono.error(() -> new YangoHttp.ServerFailure(response.status()));
		}
		return Mono.just(new Reply(response.status(), body));
	}

	private Timer timer(String operation, String outcome) {
		return Timer.builder(YangoQuotes.TIMER)
			.description("Calls to the delivery provider, retries included")
			.tag("provider", "yango")
			.tag("operation", operation)
			.tag("outcome", outcome)
			.register(meters);
	}

}
