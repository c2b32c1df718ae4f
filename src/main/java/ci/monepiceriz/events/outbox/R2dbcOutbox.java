package ci.monepiceriz.events.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;

import ci.monepiceriz.events.Outbox;
import ci.monepiceriz.events.OutgoingEvent;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox in PostgreSQL. {@link DatabaseClient} takes the connection bound to the
 * subscriber's Reactor context, so the rows are inserted in the caller's transaction (the
 * one {@code Transactions.inTransaction} opened) and exist only if it commits. All of a
 * call's events go in one multi-row {@code INSERT}, whose identity values follow the
 * order of its {@code VALUES}: the relay publishes in id order.
 */
@Component
class R2dbcOutbox implements Outbox {

	private final DatabaseClient db;

	private final JsonMapper json;

	R2dbcOutbox(DatabaseClient db, JsonMapper json) {
		this.db = db;
		this.json = json;
	}

	@Override
	public Mono<Void> append(List<OutgoingEvent> events) {
		if (events.isEmpty()) {
			return Mono.empty();
		}
		return Mono.fromCallable(() -> rows(events)).flatMap(this::insert);
	}

	private Mono<Void> insert(List<Row> rows) {
		StringBuilder sql = new StringBuilder(
				"INSERT INTO outbox (event_id, topic, key, type, payload, created_at) VALUES ");
		for (int i = 0; i < rows.size(); i++) {
			sql.append(i == 0 ? "" : ", ")
				.append("(:id" + i + ", :topic" + i + ", :key" + i + ", :type" + i + ", :payload" + i + ", :at" + i
						+ ")");
		}
		GenericExecuteSpec statement = db.sql(sql.toString());
		for (int i = 0; i < rows.size(); i++) {
			Row row = rows.get(i);
			statement = statement.bind("id" + i, row.eventId())
				.bind("topic" + i, row.event().topic())
				.bind("key" + i, row.event().key())
				.bind("type" + i, row.event().type())
				.bind("payload" + i, row.payload())
				.bind("at" + i, row.event().occurredAt());
		}
		return statement.then();
	}

	/** The envelopes, serialized here: a failure fails the caller's transaction. */
	private List<Row> rows(List<OutgoingEvent> events) {
		List<Row> rows = new ArrayList<>(events.size());
		for (OutgoingEvent event : events) {
			UUID eventId = newEventId();
			Envelope envelope = new Envelope(eventId.toString(), event.type(), event.version(), event.occurredAt(),
					event.key(), event.data());
			rows.add(new Row(eventId, event, json.writeValueAsBytes(envelope)));
		}
		return rows;
	}

	/**
	 * A random version-4 UUID from {@link ThreadLocalRandom}: {@code UUID.randomUUID()}
	 * reads {@code /dev/urandom}, a blocking call on the event loop. Ids need uniqueness,
	 * not secrecy; the column's UNIQUE constraint would fail the transaction rather than
	 * let two events share one.
	 */
	static UUID newEventId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low);
	}

	/** The published record's value ({@code contracts/asyncapi.yaml}, Envelope). */
	record Envelope(String eventId, String type, int version, Instant occurredAt, String key, Object data) {
	}

	private record Row(UUID eventId, OutgoingEvent event, byte[] payload) {
	}

}
