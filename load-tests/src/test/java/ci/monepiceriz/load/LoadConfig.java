package ci.monepiceriz.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Run parameters shared by the simulations, all read from JVM system properties
 * ({@code -Dname=value} on the Maven command line; the Gatling plugin forwards them to the
 * forked Gatling JVM).
 */
final class LoadConfig {

  static final String DEFAULT_BASE_URL = "http://127.0.0.1:8080";

  private LoadConfig() {}

  static String string(String name, String defaultValue) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? defaultValue : value.trim();
  }

  static int integer(String name, int defaultValue) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be an integer, got '" + value + "'", e);
    }
  }

  static double decimal(String name, double defaultValue) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be a number, got '" + value + "'", e);
    }
  }

  static boolean bool(String name, boolean defaultValue) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? defaultValue : Boolean.parseBoolean(value.trim());
  }

  /** Seconds from a system property, never negative. */
  static Duration seconds(String name, int defaultSeconds) {
    int value = integer(name, defaultSeconds);
    if (value < 0) {
      throw new IllegalArgumentException("-D" + name + " must be >= 0 seconds, got " + value);
    }
    return Duration.ofSeconds(value);
  }

  /**
   * Target of the run: {@code -DbaseUrl}, default {@value #DEFAULT_BASE_URL}. Only loopback
   * addresses are accepted unless {@code -DallowRemoteTarget=true}, so that a stray property
   * never points a load test at somebody else's server.
   */
  static String baseUrl() {
    String baseUrl = string("baseUrl", DEFAULT_BASE_URL);
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
    URI uri = URI.create(baseUrl);
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new IllegalArgumentException("-DbaseUrl must be an absolute http(s) URL, got '" + baseUrl + "'");
    }
    if (!bool("allowRemoteTarget", false) && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException(
          "-DbaseUrl=" + baseUrl + " is not a loopback address; add -DallowRemoteTarget=true to load-test"
              + " a host you own (e.g. a staging environment)");
    }
    return baseUrl;
  }

  private static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(h)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Per-request p50, p95 and p99 response-time assertions, all against the same threshold.
   * Gatling's end-of-run console summary only gives global percentiles; assertion results are
   * printed with their actual values, so these lines show each request's percentiles on the
   * console. The p50 and p95 lines can never fail on their own (they are at most the p99); the
   * p99 line makes the threshold hold for every request, not only globally.
   */
  static List<Assertion> perRequestPercentiles(int thresholdMs, String... requestNames) {
    List<Assertion> assertions = new ArrayList<>();
    for (String name : requestNames) {
      for (double percentile : new double[] {50.0, 95.0, 99.0}) {
        assertions.add(details(name).responseTime().percentile(percentile).lt(thresholdMs));
      }
    }
    return assertions;
  }

  /** Prints the effective parameters at start-up so a report can be matched to its settings. */
  static void describe(String simulation, Object... keyValues) {
    StringBuilder sb = new StringBuilder(">>> ").append(simulation).append(" baseUrl=").append(baseUrl());
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      sb.append(' ').append(keyValues[i]).append('=').append(keyValues[i + 1]);
    }
    System.out.println(sb);
  }

  /**
   * An open-model profile: users arriving at {@code rate} per second after a linear ramp from
   * (at most) 1/s over {@code ramp}, for {@code duration}, then ramping back down over
   * {@code rampDown}; a zero length leaves its phase out.
   */
  static List<OpenInjectionStep> openRamp(double rate, Duration ramp, Duration duration, Duration rampDown) {
    List<OpenInjectionStep> steps = new ArrayList<>();
    double start = Math.min(1.0, rate);
    if (!ramp.isZero()) {
      steps.add(rampUsersPerSec(start).to(rate).during(ramp));
    }
    if (!duration.isZero()) {
      steps.add(constantUsersPerSec(rate).during(duration));
    }
    if (!rampDown.isZero()) {
      steps.add(rampUsersPerSec(rate).to(start).during(rampDown));
    }
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("ramp, duration and rampDown are all 0: nothing to inject");
    }
    return steps;
  }
}
