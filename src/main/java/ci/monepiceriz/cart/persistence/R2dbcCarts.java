package ci.monepiceriz.cart.persistence;

import static ci.monepiceriz.shared.persistence.Binds.nullable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import ci.monepiceriz.cart.CartCheckout;
import ci.monepiceriz.cart.domain.Cart;
import ci.monepiceriz.cart.domain.CheckoutCart;
import ci.monepiceriz.cart.domain.KeptQuote;
import ci.monepiceriz.cart.domain.LineAmount;
import ci.monepiceriz.delivery.domain.DeliveryQuote;
import ci.monepiceriz.delivery.domain.DestinationCell;
import ci.monepiceriz.shared.Tokens;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;

/**
 * Carts and their lines in PostgreSQL ({@code db/migration/V2__carts.sql}). A cart is
 * found by the SHA-256 of its token and only while it has not expired. Writers lock the
 * cart row first ({@code FOR UPDATE}) and read its lines in a second statement: under
 * READ COMMITTED a statement that waited for a row lock re-checks the locked row but not
 * the rows it joined, so lines read by the locking statement itself could miss those the
 * previous lock holder just committed (and let a cart grow past its line limit). Every
 * change adds one to the cart's {@code version}, which lets {@link #checkOut} lock, mark
 * and read a cart in one statement and still notice when a change committed while it
 * waited.
 */
@Repository
public class R2dbcCarts implements CartCheckout {

	private final DatabaseClient db;

	private final Clock clock;

	R2dbcCarts(DatabaseClient db, Clock clock) {
		this.db = db;
		this.clock = clock;
	}

	/** A new cart; its id. */
	public Mono<Long> create(byte[] tokenHash, Instant now, Instant expiresAt) {
		return db.sql("""
				INSERT INTO cart (token_hash, created_at, updated_at, expires_at)
				VALUES (:hash, :now, :now, :expires)
				RETURNING id
				""")
			.bind("hash", tokenHash)
			.bind("now", now)
			.bind("expires", expiresAt)
			.map(row -> row.get("id", Long.class))
			.one();
	}

	/**
	 * The unexpired cart of this token hash with its lines and its valid delivery quote,
	 * read in one statement (one snapshot); empty when none. Served by the unique index
	 * on {@code token_hash} and the primary keys of {@code cart_line} and
	 * {@code cart_delivery_quote}.
	 */
	public Mono<Cart> find(byte[] tokenHash, Instant now) {
		return db.sql("""
				SELECT c.id, c.expires_at, c.ordered_at IS NOT NULL AS ordered,
				       q.fee, q.eta_seconds, q.source, q.cell_lat_e3, q.cell_lon_e3, q.valid_until,
				       l.sku_id, s.code, l.quantity, l.grams
				  FROM cart c
				  LEFT JOIN cart_delivery_quote q ON q.cart_id = c.id AND q.valid_until > :now
				  LEFT JOIN cart_line l ON l.cart_id = c.id
				  LEFT JOIN sku s ON s.id = l.sku_id
				 WHERE c.token_hash = :hash AND c.expires_at > :now
				 ORDER BY l.added_at, l.sku_id
				""")
			.bind("hash", tokenHash)
			.bind("now", now)
			.map(row -> new CartRow(header(row), row.get("sku_id", Long.class) == null ? null : line(row)))
			.all()
			.collectList()
			.flatMap(rows -> rows.isEmpty() ? Mono.empty() : Mono.just(cart(rows)));
	}

	/**
	 * The unexpired cart of this token hash, its row locked until the end of the caller's
	 * transaction, with its valid delivery quote, then its lines (a second statement, see
	 * the class comment); empty when none.
	 */
	public Mono<Cart> lockCart(byte[] tokenHash, Instant now) {
		return db.sql("""
				SELECT c.id, c.expires_at, c.ordered_at IS NOT NULL AS ordered,
				       q.fee, q.eta_seconds, q.source, q.cell_lat_e3, q.cell_lon_e3, q.valid_until
				  FROM cart c
				  LEFT JOIN cart_delivery_quote q ON q.cart_id = c.id AND q.valid_until > :now
				 WHERE c.token_hash = :hash AND c.expires_at > :now
				   FOR UPDATE OF c
				""")
			.bind("hash", tokenHash)
			.bind("now", now)
			.map(R2dbcCarts::header)
			.one()
			.flatMap(header -> lines(header.id())
				.map(lines -> new Cart(header.id(), header.expiresAt(), header.ordered(), lines, header.keptQuote())));
	}

	/** A cart's lines in the order they were added (primary key of cart_line). */
	public Mono<List<Cart.Line>> lines(long cartId) {
		return db.sql("""
				SELECT l.sku_id, s.code, l.quantity, l.grams
				  FROM cart_line l
				  JOIN sku s ON s.id = l.sku_id
				 WHERE l.cart_id = :cart
				 ORDER BY l.added_at, l.sku_id
				""").bind("cart", cartId).map(R2dbcCarts::line).all().collectList();
	}

	/**
	 * Sets the line of this SKU: a new line is added last, an existing one keeps its
	 * place and takes the new amount.
	 */
	public Mono<Void> putLine(long cartId, long skuId, LineAmount amount, Instant now) {
		DatabaseClient.GenericExecuteSpec insert = db.sql("""
				INSERT INTO cart_line (cart_id, sku_id, quantity, grams, added_at)
				VALUES (:cart, :sku, :quantity, :grams, :now)
				ON CONFLICT (cart_id, sku_id) DO UPDATE SET quantity = EXCLUDED.quantity, grams = EXCLUDED.grams
				""").bind("cart", cartId).bind("sku", skuId).bind("now", now);
		insert = nullable(insert, "quantity", amount.quantity(), Integer.class);
		insert = nullable(insert, "grams", amount.grams(), Integer.class);
		return insert.fetch().rowsUpdated().then();
	}

	/** Removes the line of the SKU with this code, if any. */
	public Mono<Void> removeLine(long cartId, String skuCode) {
		return db.sql("""
				DELETE FROM cart_line l
				 USING sku s
				 WHERE l.cart_id = :cart AND l.sku_id = s.id AND s.code = :code
				""").bind("cart", cartId).bind("code", skuCode).fetch().rowsUpdated().then();
	}

	/**
	 * Records a change: {@code updated_at} never goes below {@code created_at} (the
	 * schema's CHECK), even when this instance's clock is a little behind the one that
	 * created the cart.
	 */
	public Mono<Void> touch(long cartId, Instant now, Instant expiresAt) {
		return db
			.sql("""
					UPDATE cart
					   SET updated_at = greatest(:now, created_at), expires_at = greatest(:expires, created_at + interval '1 second'),
					       version = version + 1
					 WHERE id = :id
					""")
			.bind("now", now)
			.bind("expires", expiresAt)
			.bind("id", cartId)
			.fetch()
			.rowsUpdated()
			.then();
	}

	/**
	 * Deletes up to {@code batch} expired carts (their lines go with them; an order keeps
	 * its own copy of its lines and its {@code cart_id} becomes null), skipping rows
	 * another transaction holds: a cart being ordered or changed, or taken by another
	 * instance's purge. Served by {@code cart_expires_idx}. The number deleted.
	 */
	public Mono<Long> purgeExpired(Instant now, int batch) {
		return db.sql("""
				DELETE FROM cart
				 WHERE id IN (SELECT id FROM cart
				               WHERE expires_at <= :now
				               ORDER BY expires_at
				               LIMIT :batch
				                 FOR UPDATE SKIP LOCKED)
				""").bind("now", now).bind("batch", batch).fetch().rowsUpdated();
	}

	/**
	 * Keeps {@code kept}, asked at {@code requested}, as the cart's quote, replacing an
	 * earlier one unless that one was asked later: a slow answer (a cache miss) arriving
	 * after the answer to a newer request leaves the newer in place. Nothing when the
	 * cart is unknown, expired or ordered. One statement: a quote racing another for the
	 * same cart leaves one of them, whole. Whether it was kept.
	 */
	public Mono<Boolean> keepQuote(byte[] tokenHash, KeptQuote kept, Instant requested, Instant now) {
		DestinationCell cell = kept.cell();
		DeliveryQuote quote = kept.quote();
		return db.sql("""
				INSERT INTO cart_delivery_quote
				       (cart_id, cell_lat_e3, cell_lon_e3, fee, eta_seconds, source, quoted_at, valid_until)
				SELECT id, :lat, :lon, :fee, :eta, :source, :requested, :until
				  FROM cart
				 WHERE token_hash = :hash AND expires_at > :now AND ordered_at IS NULL
				    ON CONFLICT (cart_id) DO UPDATE
				   SET cell_lat_e3 = excluded.cell_lat_e3, cell_lon_e3 = excluded.cell_lon_e3, fee = excluded.fee,
				       eta_seconds = excluded.eta_seconds, source = excluded.source, quoted_at = excluded.quoted_at,
				       valid_until = excluded.valid_until
				 WHERE cart_delivery_quote.quoted_at <= excluded.quoted_at
				""")
			.bind("hash", tokenHash)
			.bind("lat", cell.latitudeE3())
			.bind("lon", cell.longitudeE3())
			.bind("fee", quote.fee())
			.bind("eta", Math.toIntExact(Math.max(1, quote.eta().toSeconds())))
			.bind("source", quote.source())
			.bind("requested", requested)
			.bind("now", now)
			.bind("until", kept.validUntil())
			.fetch()
			.rowsUpdated()
			.map(rows -> rows > 0);
	}

	/**
	 * Forgets the cart's quote, unless it was asked after {@code requested}: the answer
	 * to a request at {@code requested} was that no delivery is possible there, so no
	 * order is to be charged the quote before it. Served by the unique index on
	 * {@code cart.token_hash} and the quote's primary key.
	 */
	public Mono<Void> forgetQuote(byte[] tokenHash, Instant requested) {
		return db.sql("""
				DELETE FROM cart_delivery_quote q
				 USING cart c
				 WHERE q.cart_id = c.id AND c.token_hash = :hash AND q.quoted_at <= :requested
				""").bind("hash", tokenHash).bind("requested", requested).fetch().rowsUpdated().then();
	}

	// --- CartCheckout -----------------------------------------------------------------

	/*
	 * Served by the unique index on cart.token_hash and the primary key of
	 * cart_delivery_quote.
	 */
	@Override
	public Mono<DeliveryQuote> quoteFor(String token, DestinationCell cell) {
		if (!Tokens.looksValid(token)) {
			return Mono.empty();
		}
		return db.sql("""
				SELECT q.fee, q.eta_seconds, q.source
				  FROM cart c
				  JOIN cart_delivery_quote q ON q.cart_id = c.id
				 WHERE c.token_hash = :hash AND c.expires_at > :now
				   AND q.cell_lat_e3 = :lat AND q.cell_lon_e3 = :lon AND q.valid_until > :now
				""")
			.bind("hash", Tokens.sha256(token))
			.bind("now", clock.instant())
			.bind("lat", cell.latitudeE3())
			.bind("lon", cell.longitudeE3())
			.map(R2dbcCarts::quote)
			.one();
	}

	// --- CartCheckout: in the caller's transaction ------------------------------------

	/*
	 * One round trip in the usual case: the UPDATE locks the cart (waiting for a change
	 * in flight), marks it ordered and answers its lines. The lines come from the
	 * statement's snapshot, taken before any wait, and "seen" is the version in that
	 * snapshot: when the row the UPDATE changed is exactly one version past it, no change
	 * committed in between and the lines are the current ones; otherwise they are read
	 * again.
	 */
	private static final String CHECK_OUT = """
			UPDATE cart c
			   SET ordered_at = :now, updated_at = greatest(:now, c.created_at), version = c.version + 1
			 WHERE c.token_hash = :hash AND c.expires_at > :now AND c.ordered_at IS NULL
			RETURNING c.id, c.version,
			          (SELECT s.version FROM cart s WHERE s.id = c.id) AS seen,
			          ARRAY(SELECT l.sku_id FROM cart_line l WHERE l.cart_id = c.id ORDER BY l.added_at, l.sku_id)
			              AS sku_ids,
			          ARRAY(SELECT s.code FROM cart_line l JOIN sku s ON s.id = l.sku_id WHERE l.cart_id = c.id
			                 ORDER BY l.added_at, l.sku_id) AS codes,
			          ARRAY(SELECT l.quantity FROM cart_line l WHERE l.cart_id = c.id ORDER BY l.added_at, l.sku_id)
			              AS quantities,
			          ARRAY(SELECT l.grams FROM cart_line l WHERE l.cart_id = c.id ORDER BY l.added_at, l.sku_id)
			              AS grams
			""";

	private record CheckedOut(long id, boolean current, List<CheckoutCart.Line> lines) {
	}

	@Override
	public Mono<CheckoutCart> checkOut(String token) {
		if (!Tokens.looksValid(token)) {
			return Mono.empty();
		}
		return Mono.defer(() -> {
			byte[] hash = Tokens.sha256(token);
			Instant now = clock.instant();
			return db.sql(CHECK_OUT)
				.bind("hash", hash)
				.bind("now", now)
				.map(R2dbcCarts::checkedOut)
				.one()
				.flatMap(cart -> cart.current() ? Mono.just(new CheckoutCart(cart.id(), false, cart.lines()))
						: lines(cart.id()).map(lines -> new CheckoutCart(cart.id(), false, Cart.checkoutLines(lines))))
				// unknown, expired or already ordered: which one (the path of refusals).
				// A
				// cart found here unordered was released by a rolled-back order in
				// between.
				.switchIfEmpty(Mono.defer(() -> lockCart(hash, now)
					.flatMap(cart -> cart.ordered() ? Mono.just(cart.forCheckout()) : markOrdered(cart.id(), now)
						.thenReturn(new CheckoutCart(cart.id(), false, cart.forCheckout().lines())))));
		});
	}

	private Mono<Void> markOrdered(long cartId, Instant now) {
		return db.sql("""
				UPDATE cart SET ordered_at = :now, updated_at = greatest(:now, created_at), version = version + 1
				 WHERE id = :id AND ordered_at IS NULL
				""").bind("now", now).bind("id", cartId).then();
	}

	private static CheckedOut checkedOut(Readable row) {
		Long[] skuIds = row.get("sku_ids", Long[].class);
		String[] codes = row.get("codes", String[].class);
		Integer[] quantities = row.get("quantities", Integer[].class);
		Integer[] grams = row.get("grams", Integer[].class);
		List<CheckoutCart.Line> lines = new ArrayList<>(skuIds.length);
		for (int i = 0; i < skuIds.length; i++) {
			lines.add(new CheckoutCart.Line(skuIds[i], codes[i], quantities[i], grams[i]));
		}
		int version = row.get("version", Integer.class);
		Integer seen = row.get("seen", Integer.class);
		return new CheckedOut(row.get("id", Long.class), seen != null && version == seen + 1, lines);
	}

	// --- rows
	// ---------------------------------------------------------------------------

	private record Header(long id, Instant expiresAt, boolean ordered, KeptQuote keptQuote) {
	}

	private record CartRow(Header header, Cart.Line line) {
	}

	/** A cart's row, with its quote when the statement joined a valid one. */
	private static Header header(Readable row) {
		KeptQuote kept = row.get("fee", Long.class) == null ? null : new KeptQuote(quote(row),
				new DestinationCell(row.get("cell_lat_e3", Integer.class), row.get("cell_lon_e3", Integer.class)),
				row.get("valid_until", Instant.class));
		return new Header(row.get("id", Long.class), row.get("expires_at", Instant.class),
				Boolean.TRUE.equals(row.get("ordered", Boolean.class)), kept);
	}

	private static DeliveryQuote quote(Readable row) {
		return new DeliveryQuote(row.get("fee", Long.class), Duration.ofSeconds(row.get("eta_seconds", Integer.class)),
				row.get("source", String.class));
	}

	private static Cart.Line line(Readable row) {
		return new Cart.Line(row.get("sku_id", Long.class), row.get("code", String.class),
				row.get("quantity", Integer.class), row.get("grams", Integer.class));
	}

	private static Cart cart(List<CartRow> rows) {
		Header header = rows.get(0).header();
		List<Cart.Line> lines = new ArrayList<>();
		for (CartRow row : rows) {
			if (row.line() != null) {
				lines.add(row.line());
			}
		}
		return new Cart(header.id(), header.expiresAt(), header.ordered(), lines, header.keptQuote());
	}

}
