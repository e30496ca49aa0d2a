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
             double stallAllowance, java.util.Map<Integer, Long> otherStatuses) {
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
    java.util.Map<Integer, Long> others = new java.util.TreeMap<>(samples.stream()
        .filter(x -> x.status() != 200 && x.status() != 429)
        .collect(java.util.stream.Collectors.groupingBy(Sample::status, java.util.stream.Collectors.counting())));
    return new Run(admitted.size(), refused, other, Math.max(0, lastAdmittedSent - firstAdmittedDone) / 1e9,
        (lastDone - t0) / 1e9, windows, stall, others);
  }

  /**
   * Refusals no correct GCRA could have made. GCRA refuses at t only if, since some moment f <= t, it admitted at
   * least (t - f)/T + burst - 1 requests (its TAT ran that far ahead). So a refusal decided somewhere in [sent, done]
   * is justified if for some f the admissions that may have been decided in [f, done] reach (sent - f)/T + burst - 1.
   * Starvation only widens spans, which makes this easier to satisfy: it can never flag a correct limiter, but it does
   * flag one that refuses while under its limit.
   */
  static List<Sample> unjustifiedRefusals(List<Sample> samples, long emissionNanos, int burst) {
    List<Sample> admitted = samples.stream().filter(Sample::admitted).toList();
    List<Sample> unjustified = new ArrayList<>();
    for (Sample refusal : samples) {
      if (refusal.status() != 429) {
        continue;
      }
      boolean justified = false;
      // Candidate f values: where the count of admissions that may lie in [f, done] steps down, i.e. at each done.
      for (Sample a : admitted) {
        long f = Math.min(a.done(), refusal.sent());
        if (a.done() > refusal.done()) {
          continue;
        }
        long maybe = admitted.stream().filter(x -> x.done() >= f && x.sent() <= refusal.done()).count();
        if (maybe >= (double) (refusal.sent() - f) / emissionNanos + burst - 1) {
          justified = true;
          break;
        }
      }
      if (!justified) {
        unjustified.add(refusal);
      }
    }
    return unjustified;
  }

  static String describe(Run r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("admitted %d, refused %d, other %d %s, decided within [%.3f s, %.3f s], stall allowance %.1f;"
        + " per window (surely..maybe):", r.admitted(), r.refused(), r.other(), r.otherStatuses(), r.narrowSeconds(),
        r.wideSeconds(),
        r.stallAllowance()));
    for (Window w : r.windows()) {
      sb.append(' ').append(w.surely()).append("..").append(w.maybe());
    }
    return sb.toString();
  }
}
