package ci.monepiceriz.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.testcontainers.DockerClientFactory;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL, Redis and Kafka the tests and local runs use, found in this order:
 * <ol>
 * <li>the addresses given by environment ({@code POSTGRES_HOST}, {@code POSTGRES_PORT},
 * {@code POSTGRES_USER}, {@code POSTGRES_PASSWORD}, {@code REDIS_HOST},
 * {@code REDIS_PORT}, {@code KAFKA_BOOTSTRAP_SERVERS}), which must then answer;</li>
 * <li>else the default local addresses (127.0.0.1:5432, 127.0.0.1:6379) when they
 * answer;</li>
 * <li>else containers started by Testcontainers where a Docker engine exists;</li>
 * <li>else a failure that says what is missing and how to provide it: never a skip.</li>
 * </ol>
 * Kafka without {@code KAFKA_BOOTSTRAP_SERVERS} is a broker started in this JVM.
 */
public final class TestServices {

	public record Postgres(String host, int port, String user, String password) {

		public String jdbcUrl(String database) {
			return "jdbc:postgresql://" + host + ":" + port + "/" + database;
		}

		public String r2dbcUrl(String database) {
			return "r2dbc:postgresql://" + host + ":" + port + "/" + database;
		}

	}

	public record Redis(String host, int port) {

		public String uri(int database) {
			return "redis://" + host + ":" + port + "/" + database;
		}

	}

	private static Postgres postgres;

	private static Redis redis;

	private static String kafka;

	private TestServices() {
	}

	public static synchronized Postgres postgres() {
		if (postgres == null) {
			postgres = findPostgres();
		}
		return postgres;
	}

	public static synchronized Redis redis() {
		if (redis == null) {
			redis = findRedis();
		}
		return redis;
	}

	public static synchronized String kafka() {
		if (kafka == null) {
			String given = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
			kafka = given != null && !given.isBlank() ? given : InProcessKafka.bootstrapServers();
		}
		return kafka;
	}

	/** Drops (closing its sessions) and creates a database, for a clean test run. */
	public static void recreateDatabase(String database) {
		Postgres pg = postgres();
		try (Connection connection = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
			statement.execute("CREATE DATABASE \"" + database + "\"");
		}
		catch (SQLException error) {
			throw new IllegalStateException("Cannot recreate test database " + database + " on " + pg.host() + ":"
					+ pg.port() + " as " + pg.user() + ": " + error.getMessage(), error);
		}
	}

	/** Empties one Redis database, so no cache entry of an earlier run survives. */
	public static void flushRedis(int database) {
		RedisClient client = RedisClient.create(redis().uri(database));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			connection.sync().flushdb();
		}
		finally {
			client.shutdown();
		}
	}

	/**
	 * Spring properties pointing the application at these services and the given
	 * databases.
	 */
	public static Map<String, Object> springProperties(String database, int redisDatabase) {
		Postgres pg = postgres();
		return Map.of("spring.r2dbc.url", pg.r2dbcUrl(database), "spring.r2dbc.username", pg.user(),
				"spring.r2dbc.password", pg.password(), "spring.flyway.url", pg.jdbcUrl(database), "spring.flyway.user",
				pg.user(), "spring.flyway.password", pg.password(), "shop.redis.uri", redis().uri(redisDatabase),
				"shop.kafka.bootstrap-servers", kafka());
	}

	private static Postgres findPostgres() {
		String host = env("POSTGRES_HOST");
		String user = env("POSTGRES_USER");
		String password = env("POSTGRES_PASSWORD");
		int port = Integer.parseInt(envOr("POSTGRES_PORT", "5432"));
		Postgres local = new Postgres(host == null ? "127.0.0.1" : host, port, user == null ? "postgres" : user,
				password == null ? "" : password);
		if (reachable(local.host(), local.port())) {
			return local;
		}
		if (host == null && dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
			container.start();
			return new Postgres(container.getHost(), container.getMappedPort(5432), container.getUsername(),
					container.getPassword());
		}
		throw missing("PostgreSQL", local.host() + ":" + local.port(),
				"start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD");
	}

	private static Redis findRedis() {
		String host = env("REDIS_HOST");
		Redis local = new Redis(host == null ? "127.0.0.1" : host, Integer.parseInt(envOr("REDIS_PORT", "6379")));
		if (reachable(local.host(), local.port())) {
			return local;
		}
		if (host == null && dockerAvailable()) {
			GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
			container.start();
			return new Redis(container.getHost(), container.getMappedPort(6379));
		}
		throw missing("Redis", local.host() + ":" + local.port(),
				"start it (redis-server --daemonize yes --port 6379 --save \"\") or set REDIS_HOST, REDIS_PORT");
	}

	private static IllegalStateException missing(String service, String address, String howTo) {
		return new IllegalStateException(service + " is required by the integration tests and is not reachable at "
				+ address + ", and no Docker engine is available for Testcontainers: " + howTo + ".");
	}

	private static boolean reachable(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 1000);
			return true;
		}
		catch (IOException unreachable) {
			return false;
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException noDocker) {
			return false;
		}
	}

	private static String env(String name) {
		String value = System.getenv(name);
		return value == null || value.isBlank() ? null : value;
	}

	private static String envOr(String name, String fallback) {
		String value = env(name);
		return value == null ? fallback : value;
	}

}
