package dev.harp.ratelimit;

import dev.harp.ratelimit.OfferedLoad.Sample;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts admissions per window without trusting any clock to the millisecond. The server decided each request some
 * time between its send and its completion: an admission whose whole [sent, done] span lies in a window was surely
 * decided in it (the "at least" count), one whose span touches the window maybe was (the "at most" count). A slow,
 * CPU-starved run widens the spans and so loosens both counts; it can never make a correct limiter fail the checks.
 */
final class Accuracy {

  record Window(int index, int surely, int maybe) {
  }

  /** Whole-run figures: admitted, and the shortest and longest span the admissions can have been decided in. */
  record Run(int admitted, int refused, int other, double narrowSeconds, double wideSeconds, List<Window> windows,
             double stallAllowance) {
  }

  private Accuracy() {
  }

  /**
   * @param windowNanos window length
   * @param burstNanos  burst × T: a gap between admissions longer than this lets the bucket overflow, which a
   *                    saturating load cannot cause but a stalled JVM can; such gaps are reported as an allowance
   */
  static Run analyse(List<Sample> samples, long windowNanos, long burstNanos, double ratePerSecond) {
    List<Sample> admitted = samples.stream().filter(Sample::admitted).toList();
    int refused = (int) samples.stream().filter(s -> s.status() == 429).count();
    int other = samples.size() - admitted.size() - refused;
    long t0 = samples.get(0).sent();
    long lastDone = samples.stream().mapToLong(Sample::done).max().orElse(t0);
    long firstAdmittedDone = admitted.stream().mapToLong(Sample::done).min().orElse(t0);
    long lastAdmittedSent = admitted.stream().mapToLong(Sample::sent).max().orElse(t0);
    List<Window> windows = new ArrayList<>();
    for (int k = 0; t0 + (k + 1) * windowNanos <= lastDone; k++) {
      long from = t0 + k * windowNanos;
      long to = from + windowNanos;
      int surely = 0;
      int maybe = 0;
      for (Sample s : admitted) {
        if (s.sent() >= from && s.done() < to) {
          surely++;
        }
        if (s.done() >= from && s.sent() < to) {
          maybe++;
        }
      }
      windows.add(new Window(k, surely, maybe));
    }
    List<Long> doneTimes = admitted.stream().map(Sample::done).sorted().toList();
    double stall = 0;
    for (int i = 1; i < doneTimes.size(); i++) {
      long gap = doneTimes.get(i) - doneTimes.get(i - 1);
      if (gap > burstNanos) {
        stall += (gap - burstNanos) / 1e9 * ratePerSecond;
      }
    }
    return new Run(admitted.size(), refused, other, Math.max(0, lastAdmittedSent - firstAdmittedDone) / 1e9,
        (lastDone - t0) / 1e9, windows, stall);
  }

  static String describe(Run r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("admitted %d, refused %d, other %d, decided within [%.3f s, %.3f s], stall allowance %.1f;"
        + " per window (surely..maybe):", r.admitted(), r.refused(), r.other(), r.narrowSeconds(), r.wideSeconds(),
        r.stallAllowance()));
    for (Window w : r.windows()) {
      sb.append(' ').append(w.surely()).append("..").append(w.maybe());
    }
    return sb.toString();
  }
}
