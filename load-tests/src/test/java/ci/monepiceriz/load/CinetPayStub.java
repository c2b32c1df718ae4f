package ci.monepiceriz.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fast stand-in for CinetPay's Checkout v2 API during load tests, on the JDK's own HTTP server
 * ({@code com.sun.net.httpserver}, a fixed pool of threads): no dependency, so it also runs as a
 * single source file, in a JVM of its own beside the service:
 *
 * <pre>
 * java -Xmx128m -XX:+UseSerialGC load-tests/src/test/java/ci/monepiceriz/load/CinetPayStub.java \
 *   --port 8091 --apikey storm-apikey --site-id storm-site --pending-checks 1 --threads 4
 * </pre>
 *
 * <ul>
 *   <li>{@code POST /v2/payment} (initialise): remembers the {@code transaction_id} and
 *       {@code amount} the service asks for and answers {@code 201 CREATED} with a payment URL;
 *   <li>{@code POST /v2/payment/check}: for a transaction it initialised, the first
 *       {@code pending-checks} checks answer {@code WAITING_FOR_CUSTOMER} (the payer has not
 *       confirmed yet), every later one {@code code "00"}, status {@code ACCEPTED} with the very
 *       amount and currency {@code XOF} the service asked for, as CinetPay would once paid; an
 *       unknown transaction answers {@code 627 TRANSACTION_NOT_FOUND}-like refusal data without a
 *       status (the service treats it as not final);
 *   <li>a wrong {@code apikey} or {@code site_id} answers {@code 609 AUTH_NOT_FOUND}, so that a
 *       misconfigured service shows at once;
 *   <li>{@code GET /stats}: counts of calls and answers, one {@code key=value} word each.
 * </ul>
 *
 * The request bodies are the service's own compact JSON, read with two regular expressions: this
 * is a test double, not a JSON parser. State is in memory only: transactions initialised before a
 * restart of the stub are unknown to it afterwards.
 */
public final class CinetPayStub {

  private static final Pattern TRANSACTION_ID = Pattern.compile("\"transaction_id\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern AMOUNT = Pattern.compile("\"amount\"\\s*:\\s*\"?(\\d+)");
  private static final Pattern API_KEY = Pattern.compile("\"apikey\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern SITE_ID = Pattern.compile("\"site_id\"\\s*:\\s*\"?([^\",}]*)");
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  /** A transaction the service initialised: its amount and how many times it was checked. */
  private record Transaction(long amount, AtomicInteger checks) {}

  private final String apiKey;
  private final String siteId;
  private final int pendingChecks;
  private final Map<String, Transaction> transactions = new ConcurrentHashMap<>();
  private final AtomicLong initialised = new AtomicLong();
  private final AtomicLong checks = new AtomicLong();
  private final AtomicLong pendingAnswers = new AtomicLong();
  private final AtomicLong acceptedAnswers = new AtomicLong();
  private final AtomicLong unknownAnswers = new AtomicLong();
  private final AtomicLong authFailures = new AtomicLong();
  private HttpServer server;
  private ExecutorService executor;

  public CinetPayStub(String apiKey, String siteId, int pendingChecks) {
    this.apiKey = apiKey;
    this.siteId = siteId;
    this.pendingChecks = pendingChecks;
  }

  /** Starts listening on {@code 127.0.0.1:port} with {@code threads} handler threads. */
  public CinetPayStub start(int port, int threads) throws IOException {
    // The JDK's server writes a response's headers and body in two writes: without TCP_NODELAY,
    // Nagle's algorithm holds the body until the client's delayed ACK (40 ms on Linux), and every
    // check call took ~40 ms. Read once, when the server's configuration is first loaded.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
    executor = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "cinetpay-stub");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/v2/payment/check", exchange -> answer(exchange, check(body(exchange))));
    server.createContext("/v2/payment", exchange -> answer(exchange, initialise(body(exchange))));
    server.createContext("/stats", exchange -> answer(exchange, new Reply(200, stats(), "text/plain")));
    server.start();
    return this;
  }

  public void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  /** One line of counts: {@code initialised=… checks=… pending=… accepted=… unknown=… auth-failures=…}. */
  public String stats() {
    return "initialised=" + initialised.get() + " checks=" + checks.get() + " pending=" + pendingAnswers.get()
        + " accepted=" + acceptedAnswers.get() + " unknown=" + unknownAnswers.get() + " auth-failures="
        + authFailures.get();
  }

  private record Reply(int status, String body, String contentType) {}

  private Reply initialise(String body) {
    if (!authorised(body)) {
      return authFailure();
    }
    String transactionId = first(TRANSACTION_ID, body);
    String amount = first(AMOUNT, body);
    if (transactionId == null || amount == null) {
      return json("{\"code\":\"608\",\"message\":\"MINIMUM_REQUIRED_FIELDS\",\"description\":\"transaction_id, amount\"}");
    }
    transactions.put(transactionId, new Transaction(Long.parseLong(amount), new AtomicInteger()));
    initialised.incrementAndGet();
    return json("{\"code\":\"201\",\"message\":\"CREATED\",\"description\":\"Transaction created with success\","
        + "\"data\":{\"payment_token\":\"tok-" + transactionId + "\",\"payment_url\":"
        + "\"https://checkout.cinetpay.invalid/payment/tok-" + transactionId + "\"},\"api_response_id\":\"stub\"}");
  }

  private Reply check(String body) {
    checks.incrementAndGet();
    if (!authorised(body)) {
      return authFailure();
    }
    String transactionId = first(TRANSACTION_ID, body);
    Transaction transaction = transactionId == null ? null : transactions.get(transactionId);
    if (transaction == null) {
      unknownAnswers.incrementAndGet();
      return json("{\"code\":\"627\",\"message\":\"TRANSACTION_NOT_FOUND\",\"data\":{}}");
    }
    String now = LocalDateTime.now(ZoneOffset.UTC).format(DATE_TIME);
    if (transaction.checks().incrementAndGet() <= pendingChecks) {
      pendingAnswers.incrementAndGet();
      return json("{\"code\":\"662\",\"message\":\"WAITING_CUSTOMER_PAYMENT\",\"data\":{\"amount\":\""
          + transaction.amount() + "\",\"currency\":\"XOF\",\"status\":\"WAITING_FOR_CUSTOMER\",\"payment_method\":"
          + "\"OM\",\"description\":\"MonEpice Riz\",\"metadata\":null,\"operator_id\":null,\"payment_date\":\" \","
          + "\"fund_availability_date\":\" \"},\"api_response_id\":\"stub\"}");
    }
    acceptedAnswers.incrementAndGet();
    return json("{\"code\":\"00\",\"message\":\"SUCCES\",\"data\":{\"amount\":\"" + transaction.amount()
        + "\",\"currency\":\"XOF\",\"status\":\"ACCEPTED\",\"payment_method\":\"OM\",\"description\":\"MonEpice Riz\","
        + "\"metadata\":null,\"operator_id\":\"MP" + Math.abs(transactionId.hashCode()) + "\",\"payment_date\":\"" + now
        + "\",\"fund_availability_date\":\"" + now + "\"},\"api_response_id\":\"stub\"}");
  }

  private boolean authorised(String body) {
    return apiKey.equals(first(API_KEY, body)) && siteId.equals(first(SITE_ID, body));
  }

  private Reply authFailure() {
    authFailures.incrementAndGet();
    return json("{\"code\":\"609\",\"message\":\"AUTH_NOT_FOUND\",\"data\":{}}");
  }

  private static Reply json(String body) {
    return new Reply(200, body, "application/json");
  }

  private static String first(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find() ? matcher.group(1) : null;
  }

  private static String body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void answer(HttpExchange exchange, Reply reply) throws IOException {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** {@code --port 8091 --apikey … --site-id … --pending-checks 1 --threads 4}. */
  public static void main(String[] args) throws IOException {
    Map<String, String> options = new ConcurrentHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    int port = Integer.parseInt(options.getOrDefault("port", "8091"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "4"));
    CinetPayStub stub = new CinetPayStub(options.getOrDefault("apikey", "storm-apikey"),
        options.getOrDefault("site-id", "storm-site"), Integer.parseInt(options.getOrDefault("pending-checks", "1")))
        .start(port, threads);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stub " + stub.stats())));
    System.out.println("CinetPay stub on http://127.0.0.1:" + port + " (" + threads + " threads, pending-checks "
        + stub.pendingChecks + ")");
  }
}
