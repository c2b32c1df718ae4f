package ci.monepiceriz.ordering.web;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.delivery.Couriers;
import ci.monepiceriz.ordering.OrderingProperties;
import ci.monepiceriz.ordering.OrderingService;
import ci.monepiceriz.ordering.PlaceOutcome;
import ci.monepiceriz.ordering.domain.Order;
import ci.monepiceriz.ordering.domain.PlaceOrder;
import ci.monepiceriz.ordering.domain.Refusal;
import ci.monepiceriz.delivery.domain.QuoteOutcome;
import ci.monepiceriz.shared.Tokens;
import ci.monepiceriz.shared.web.CommonProblem;
import ci.monepiceriz.shared.web.Problem;
import ci.monepiceriz.shared.web.Problem.LocalizedFieldError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Placing and following orders (PRODUCT.md §4, §13). */
@Component
class OrderHandler {

	static final String REPLAYED = "Idempotent-Replayed";

	private static final Duration HEARTBEAT = Duration.ofSeconds(15);

	private final OrderingService ordering;

	private final OrderingProperties properties;

	private final JsonMapper json;

	private final Clock clock;

	private final Couriers couriers;

	OrderHandler(OrderingService ordering, OrderingProperties properties, JsonMapper json, Clock clock,
			Couriers couriers) {
		this.couriers = couriers;
		this.ordering = ordering;
		this.properties = properties;
		this.json = json;
		this.clock = clock;
	}

	Mono<ServerResponse> place(ServerRequest request) {
		String key = OrderRequests
			.idempotencyKey(Optional.ofNullable(request.headers().firstHeader("Idempotency-Key")));
		return request.bodyToMono(PlaceOrderRequest.class)
			.switchIfEmpty(Mono.error(() -> Problem.of(CommonProblem.MALFORMED_REQUEST)))
			.map(body -> OrderRequests.placeOrder(body, clock))
			.flatMap(command -> ordering.place(command, key, fingerprint(command),
					placed -> json.writeValueAsBytes(OrderView.of(placed.order(), placed.accessToken()))))
			.flatMap(this::answer);
	}

	/** The request as understood: the same order asked twice hashes the same. */
	private byte[] fingerprint(PlaceOrder command) {
		return Tokens.sha256(json.writeValueAsBytes(command));
	}

	private Mono<ServerResponse> answer(PlaceOutcome outcome) {
		if (outcome instanceof PlaceOutcome.Answered answered) {
			// a replay's number is read from the answer it replays
			String number = answered.number().orElseGet(() -> json.readTree(answered.body()).get("number").asString());
			return ServerResponse.status(answered.status())
				.location(URI.create("/api/orders/" + number))
				.contentType(MediaType.APPLICATION_JSON)
				.cacheControl(CacheControl.noStore())
				.headers(headers -> {
					if (answered.replayed()) {
						headers.set(REPLAYED, "true");
					}
				})
				.bodyValue(answered.body());
		}
		if (outcome instanceof PlaceOutcome.KeyReused) {
			return Mono.error(Problem.of(OrderingProblem.IDEMPOTENCY_KEY_REUSED));
		}
		return Mono.error(refused(((PlaceOutcome.Refused) outcome).refusal()));
	}

	private static Problem refused(Refusal refusal) {
		if (refusal instanceof Refusal.CartNotFound) {
			return Problem.of(OrderingProblem.UNKNOWN_CART);
		}
		if (refusal instanceof Refusal.CartAlreadyOrdered) {
			return Problem.of(OrderingProblem.CART_ALREADY_ORDERED);
		}
		if (refusal instanceof Refusal.EmptyCart) {
			return Problem.of(OrderingProblem.EMPTY_CART);
		}
		if (refusal instanceof Refusal.BelowDeliveryMinimum below) {
			return Problem.of(OrderingProblem.DELIVERY_MINIMUM_NOT_REACHED, below.minimum(), below.subtotal());
		}
		if (refusal instanceof Refusal.DeliveryUnavailable unavailable) {
			return Problem.of(unavailable.reason() == QuoteOutcome.Reason.NOT_SERVED
					? OrderingProblem.DELIVERY_UNAVAILABLE_HERE : OrderingProblem.DELIVERY_QUOTE_UNAVAILABLE);
		}
		List<LocalizedFieldError> lines = ((Refusal.LinesUnservable) refusal).lines()
			.stream()
			.map(OrderHandler::lineError)
			.toList();
		return Problem.withErrors(OrderingProblem.LINES_UNAVAILABLE, lines);
	}

	private static LocalizedFieldError lineError(Refusal.Unservable line) {
		if (line.invalidAmount()) {
			return new LocalizedFieldError(line.skuCode(),
					"la quantité demandée (" + line.requested() + ") n'est plus valable pour cet article",
					"the requested amount (" + line.requested() + ") is no longer valid for this item");
		}
		if (line.available() == 0) {
			return new LocalizedFieldError(line.skuCode(), "épuisé (demandé : " + line.requested() + ")",
					"out of stock (requested: " + line.requested() + ")");
		}
		return new LocalizedFieldError(line.skuCode(),
				"stock insuffisant : demandé " + line.requested() + ", disponible " + line.available(),
				"not enough stock: requested " + line.requested() + ", available " + line.available());
	}

	Mono<ServerResponse> show(ServerRequest request) {
		String number = request.pathVariable("number");
		return findOrder(request, number)
			.flatMap(order -> couriers.tracking(order.number())
				.map(delivery -> OrderView.of(order, null, delivery))
				.defaultIfEmpty(OrderView.of(order, null)))
			.flatMap(view -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.cacheControl(CacheControl.noStore())
				.bodyValue(view));
	}

	/**
	 * Status changes as server-sent events: the current status first (unless the client's
	 * {@code Last-Event-ID} says it has it), then each change, until the order reaches a
	 * final status. Event ids are the order's version.
	 */
	Mono<ServerResponse> events(ServerRequest request) {
		String number = request.pathVariable("number");
		Optional<Integer> lastSeen = Optional.ofNullable(request.headers().firstHeader("Last-Event-ID"))
			.flatMap(OrderHandler::parseVersion);
		return findOrder(request, number)
			.map(found -> ordering.watch(number, properties.eventsPollInterval())
				.filter(status -> lastSeen.map(seen -> status.version() > seen).orElse(true))
				.map(status -> ServerSentEvent.builder(status)
					.id(Integer.toString(status.version()))
					.event("status")
					.build()))
			.flatMap(changes -> ServerResponse.ok()
				.contentType(MediaType.TEXT_EVENT_STREAM)
				.cacheControl(CacheControl.noStore())
				.body(withHeartbeats(changes), ServerSentEvent.class));
	}

	/**
	 * The events, with a comment line every {@link #HEARTBEAT} between them so that
	 * proxies keep an idle stream open; the heartbeats stop when the events end.
	 */
	private static Flux<ServerSentEvent<?>> withHeartbeats(Flux<? extends ServerSentEvent<?>> events) {
		return events.publish(shared -> Flux.merge(shared,
				Flux.interval(HEARTBEAT)
					.map(tick -> ServerSentEvent.builder().comment("keep-alive").build())
					.takeUntilOther(shared.then())));
	}

	private static Optional<Integer> parseVersion(String text) {
		try {
			return Optional.of(Integer.parseInt(text.strip()));
		}
		catch (NumberFormatException notOurs) {
			return Optional.empty();
		}
	}

	private Mono<Order> findOrder(ServerRequest request, String number) {
		return ordering.find(number, accessToken(request))
			.switchIfEmpty(Mono.error(() -> Problem.of(OrderingProblem.ORDER_NOT_FOUND, number)));
	}

	/**
	 * The token from {@code Authorization: Bearer}, or from the {@code accessToken} query
	 * parameter for clients that cannot set headers (a browser's {@code EventSource}).
	 */
	private static String accessToken(ServerRequest request) {
		String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return authorization.substring(7).strip();
		}
		return request.queryParam("accessToken").orElse("");
	}

}
