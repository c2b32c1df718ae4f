package ci.monepiceriz.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.annotation.DirtiesContext;

import ci.monepiceriz.shared.cache.ReadThroughCache;
import ci.monepiceriz.support.IntegrationTest;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.ConnectionFactory;

/**
 * Clients that vanish mid-request or mid-response must never leave database connections
 * behind (r2dbc-postgresql issue 459: a cancelled streaming result could keep its
 * connection for good, until the service hung). Hundreds of list and export requests are
 * dropped under load, straight after sending or after the first bytes, with the cache off
 * so that every one reaches PostgreSQL; the pool must then be back to idle and the
 * service answering.
 */
@IntegrationTest
// a context of its own, used by no other class: closed after it, pool and all
@DirtiesContext
@TestPropertySource(properties = { "shop.catalog.cache-enabled=false", "spring.r2dbc.pool.max-size=10" })
class DroppedClientsIT {

	private static final int REQUESTS = 400;

	@LocalServerPort
	int port;

	@Autowired
	WebTestClient web;

	@Autowired
	ConnectionFactory connectionFactory;

	@BeforeAll
	static void aBiggerCatalog(@Autowired DatabaseClient db, @Autowired ReadThroughCache cache) {
		long products = db.sql("SELECT count(*) FROM product").map(row -> row.get(0, Long.class)).one().block();
		if (products < 2000) {
			db.sql("SELECT demo_generate_products(2000)").fetch().rowsUpdated().block(Duration.ofMinutes(1));
			// other test classes may have cached pages of the smaller catalog
			cache.invalidate(Catalog.CACHE_NAMESPACE).block(Duration.ofSeconds(5));
		}
	}

	@Test
	void droppedListAndExportRequestsGiveEveryConnectionBack() throws Exception {
		String[] paths = { "/api/catalog/export", "/api/products?limit=100&sort=price_desc",
				"/api/products?limit=100&q=riz%20parfume", "/api/products?limit=100&category=epicerie&inStock=true" };
		ExecutorService clients = Executors.newFixedThreadPool(32);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < REQUESTS; i++) {
				String path = paths[i % paths.length];
				boolean beforeAnyByte = (i / paths.length) % 2 == 0;
				done.add(clients.submit(() -> dropAfter(path, beforeAnyByte)));
			}
			for (Future<?> request : done) {
				request.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			clients.shutdownNow();
		}

		PoolMetrics pool = ((ConnectionPool) connectionFactory).getMetrics().orElseThrow();
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (pool.acquiredSize() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(pool.acquiredSize()).as("connections still acquired after every client left").isZero();
		assertThat(pool.pendingAcquireSize()).isZero();

		for (int i = 0; i < 30; i++) {
			web.get().uri("/api/products?limit=100&sort=newest").exchange().expectStatus().isOk();
		}
		byte[] export = web.mutate()
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
			.build()
			.get()
			.uri("/api/catalog/export")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(new String(export, StandardCharsets.UTF_8).lines().count()).isGreaterThan(2000);
		web.get().uri("/api/health").exchange().expectStatus().isOk();
	}

	/**
	 * Sends one request, then resets the connection before reading, or after the first
	 * bytes.
	 */
	private Void dropAfter(String path, boolean beforeAnyByte) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoLinger(true, 0); // close with a reset, as a vanished phone does
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			if (!beforeAnyByte) {
				InputStream in = socket.getInputStream();
				in.readNBytes(new byte[512], 0, 512);
			}
		}
		return null;
	}

}
