package ci.monepiceriz.load;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Orders actually placed per second during a run: successful orders divided by the time from the
 * first order sent to the last answer received. Gatling's report divides by the whole run, which
 * includes its start and end; this is the figure of the measured window only.
 */
final class PlacementMeter {

  private final AtomicLong firstSentNanos = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastAnsweredNanos = new AtomicLong(Long.MIN_VALUE);
  // the same two instants on the wall clock, for matching with samples taken outside Gatling
  private final AtomicLong firstSentMillis = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lastAnsweredMillis = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong ko = new AtomicLong();
  private final String label;

  PlacementMeter() {
    this("placement");
  }

  /** A meter whose summary line starts with {@code >>> label}. */
  PlacementMeter(String label) {
    this.label = label;
  }

  void sent() {
    firstSentNanos.accumulateAndGet(System.nanoTime(), Math::min);
    firstSentMillis.accumulateAndGet(System.currentTimeMillis(), Math::min);
  }

  void answered(boolean success) {
    lastAnsweredNanos.accumulateAndGet(System.nanoTime(), Math::max);
    lastAnsweredMillis.accumulateAndGet(System.currentTimeMillis(), Math::max);
    (success ? ok : ko).incrementAndGet();
  }

  /**
   * One line for the console (and for the bench scripts):
   * {@code >>> placement target=…/s ok=… ko=… window=…s achieved=…/s from=… to=…}, the last two
   * being the window's bounds in milliseconds since the epoch.
   */
  String summary(double targetRate) {
    long first = firstSentNanos.get();
    long last = lastAnsweredNanos.get();
    double window = first == Long.MAX_VALUE || last == Long.MIN_VALUE ? 0 : (last - first) / 1e9;
    double achieved = window > 0 ? ok.get() / window : 0;
    return String.format(Locale.ROOT,
        ">>> %s target=%.1f/s ok=%d ko=%d window=%.2fs achieved=%.1f/s from=%d to=%d", label, targetRate, ok.get(),
        ko.get(), window, achieved, window > 0 ? firstSentMillis.get() : 0, window > 0 ? lastAnsweredMillis.get() : 0);
  }
}
