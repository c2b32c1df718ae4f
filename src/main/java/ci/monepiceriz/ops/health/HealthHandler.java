package ci.monepiceriz.ops.health;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import ci.monepiceriz.shared.health.HealthProbe;
import ci.monepiceriz.shared.health.HealthProbe.ProbeResult;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs every probe at once, each bounded by a timeout, and answers 200 {@code healthy}
 * when the four checks are ok, 503 {@code unhealthy} otherwise.
 */
@Component
class HealthHandler {

	static final List<String> CHECKS = List.of("database", "redis", "storage", "services");

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

	private final List<HealthProbe> probes;

	private final Clock clock;

	HealthHandler(List<HealthProbe> probes, Clock clock) {
		this.probes = probes;
		this.clock = clock;
	}

	Mono<ServerResponse> health(ServerRequest request) {
		return Flux.fromIterable(probes)
			.flatMap(
					probe -> probe.probe()
						.timeout(PROBE_TIMEOUT, Mono.fromSupplier(
								() -> ProbeResult.error("no answer within " + PROBE_TIMEOUT.toSeconds() + " s")))
						.map(result -> Map.entry(probe.check(), result)))
			.collectList()
			.map(this::report)
			.flatMap(report -> ServerResponse
				.status(report.status().equals("healthy") ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
				.contentType(MediaType.APPLICATION_JSON)
				.cacheControl(CacheControl.noStore())
				.bodyValue(report));
	}

	private HealthReport report(List<Map.Entry<String, ProbeResult>> results) {
		Map<String, List<ProbeResult>> byCheck = results.stream()
			.collect(Collectors.groupingBy(Map.Entry::getKey,
					Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
		Map<String, HealthReport.Check> checks = new LinkedHashMap<>();
		for (String name : CHECKS) {
			List<ProbeResult> found = byCheck.getOrDefault(name, List.of(ProbeResult.error("no probe")));
			boolean ok = found.stream().allMatch(ProbeResult::ok);
			String message = found.stream().map(ProbeResult::message).collect(Collectors.joining("; "));
			checks.put(name, new HealthReport.Check(ok ? "ok" : "error", message));
		}
		boolean healthy = checks.values().stream().allMatch(check -> check.status().equals("ok"));
		return new HealthReport(healthy ? "healthy" : "unhealthy", clock.instant(), checks);
	}

}
