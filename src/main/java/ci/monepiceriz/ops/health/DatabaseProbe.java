package ci.monepiceriz.ops.health;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import ci.monepiceriz.shared.health.HealthProbe;
import reactor.core.publisher.Mono;

/** PostgreSQL answers a query through the application's own R2DBC pool. */
@Component
class DatabaseProbe implements HealthProbe {

	private final DatabaseClient db;

	DatabaseProbe(DatabaseClient db) {
		this.db = db;
	}

	@Override
	public String check() {
		return "database";
	}

	@Override
	public Mono<ProbeResult> probe() {
		return db.sql("SELECT 1")
			.map(row -> 1)
			.one()
			.map(one -> ProbeResult.ok("PostgreSQL answers"))
			.onErrorResume(error -> Mono
				.just(ProbeResult.error("PostgreSQL unreachable: " + error.getClass().getSimpleName())));
	}

}
