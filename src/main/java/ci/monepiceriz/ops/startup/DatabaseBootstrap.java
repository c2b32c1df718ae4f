package ci.monepiceriz.ops.startup;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.flyway.autoconfigure.FlywayProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Before Flyway migrates, creates the application's database when it is missing (when
 * {@code shop.database.create-if-missing}, on by default for local runs and tests, off in
 * production where the database is provisioned). JDBC runs here, on the main thread
 * during start-up, before the server takes a request: never on an event loop.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseBootstrap {

	private static final Logger log = LoggerFactory.getLogger(DatabaseBootstrap.class);

	private static final String DUPLICATE_DATABASE = "42P04";

	@Bean
	FlywayMigrationStrategy createDatabaseThenMigrate(DatabaseProperties properties,
			FlywayProperties flywayProperties) {
		return flyway -> {
			if (properties.createIfMissing()) {
				createIfMissing(flywayProperties);
			}
			flyway.migrate();
		};
	}

	private static void createIfMissing(FlywayProperties config) {
		String url = config.getUrl();
		URI uri = URI.create(url.substring("jdbc:".length()));
		String database = uri.getPath().substring(1);
		String maintenanceUrl = url.replaceFirst("/" + database + "(\\?|$)", "/postgres$1");
		try (Connection connection = DriverManager.getConnection(maintenanceUrl, config.getUser(),
				config.getPassword());
				PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
			exists.setString(1, database);
			try (ResultSet found = exists.executeQuery()) {
				if (found.next()) {
					return;
				}
			}
			try (Statement create = connection.createStatement()) {
				create.execute("CREATE DATABASE \"" + database.replace("\"", "\"\"") + "\"");
				log.info("Created database {}", database);
			}
		}
		catch (SQLException error) {
			// another instance created it between our check and our CREATE: fine
			if (!DUPLICATE_DATABASE.equals(error.getSQLState())) {
				throw new IllegalStateException("Cannot create database " + database + ": " + error.getMessage(),
						error);
			}
		}
	}

	/**
	 * {@code shop.database.*}.
	 *
	 * @param createIfMissing create the database at start-up when it does not exist
	 */
	@ConfigurationProperties("shop.database")
	record DatabaseProperties(@DefaultValue("false") boolean createIfMissing) {
	}

}
