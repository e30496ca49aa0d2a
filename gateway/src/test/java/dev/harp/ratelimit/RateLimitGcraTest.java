package dev.harp.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The algorithm and its entry processors on replayed clocks: the guarantees the docs state, checked exactly. */
class RateLimitGcraTest {

  private static final long MS = 1_000_000L;
  private static final long T0 = 1_700_000_000_000L * MS;

  private static Rates rates(Limit... limits) {
    return Rates.of(List.of(limits));
  }

  @Test
  void aFreshKeyTakesItsBurstAtOnceThenOnePerEmissionInterval() {
    Rates r = rates(new Limit("l", 100, Duration.ofSeconds(1), 10));
    long[] tats = new long[1];
    assertThat(Gcra.admit(tats, r.emission(), r.tolerance(), T0, 50)).isEqualTo(10);
    assertThat(Gcra.admit(tats, r.emission(), r.tolerance(), T0, 1)).isZero();
    assertThat(Gcra.retryAfter(tats, r.tolerance(), T0)).isEqualTo(10 * MS);
    assertThat(Gcra.admit(tats, r.emission(), r.tolerance(), T0 + 10 * MS - 1, 1)).isZero();
    assertThat(Gcra.admit(tats, r.emission(), r.tolerance(), T0 + 10 * MS, 5)).isEqualTo(1);
  }

  @Test
  void aBatchDecidesExactlyLikeItsRequestsOneByOne() {
    Rates r = rates(new Limit("a", 7, Duration.ofSeconds(1), 3), new Limit("b", 20, Duration.ofSeconds(10), 5));
    Random random = new Random(7);
    long[] batched = new long[2];
    long[] single = new long[2];
    long now = T0;
    for (int step = 0; step < 2_000; step++) {
      now += random.nextInt(400) * MS;
      int n = 1 + random.nextInt(6);
      int viaBatch = Gcra.admit(batched, r.emission(), r.tolerance(), now, n);
      int oneByOne = 0;
      for (int i = 0; i < n; i++) {
        oneByOne += Gcra.admit(single, r.emission(), r.tolerance(), now, 1);
      }
      assertThat(viaBatch).isEqualTo(oneByOne);
      assertThat(batched).containsExactly(single);
    }
  }

  @Test
  void noWindowEverHoldsMoreThanItsRateTimesLengthPlusBurst() {
    // Random arrivals at 1-10x the rate, random batch sizes: every window of length W (checked at every admission)
    // holds at most W/T + burst admissions.
    Limit limit = new Limit("l", 50, Duration.ofSeconds(1), 8);
    Rates r = rates(limit);
    Random random = new Random(42);
    long[] tats = new long[1];
    List<Long> admitted = new ArrayList<>();
    long now = T0;
    for (int step = 0; step < 20_000; step++) {
      now += random.nextInt(2 * (int) (r.emission()[0] / MS)) * MS / (1 + random.nextInt(10));
      int n = 1 + random.nextInt(4);
      int a = Gcra.admit(tats, r.emission(), r.tolerance(), now, n);
      for (int i = 0; i < a; i++) {
        admitted.add(now);
      }
    }
    for (long window : new long[] {10 * MS, 250 * MS, 1_000 * MS, 3_000 * MS}) {
      long bound = window / r.emission()[0] + limit.burst();
      int worst = 0;
      int start = 0;
      for (int end = 0; end < admitted.size(); end++) {
        while (admitted.get(end) - admitted.get(start) > window) {
          start++;
        }
        worst = Math.max(worst, end - start + 1);
      }
      assertThat((long) worst).as("worst window of %d ms", window / MS).isLessThanOrEqualTo(bound);
    }
  }

  @Test
  void underConstantOverloadTheCountIsExactlyRateTimesTimePlusBurst() {
    Limit limit = new Limit("l", 100, Duration.ofSeconds(1), 10);
    Rates r = rates(limit);
    long[] tats = new long[1];
    int admitted = 0;
    for (long t = 0; t <= 5_000; t++) {
      admitted += Gcra.admit(tats, r.emission(), r.tolerance(), T0 + t * MS, 3);
    }
    // 5 s at 100/s after a burst of 10: the first millisecond admits the burst, then one every 10 ms.
    assertThat(admitted).isEqualTo(500 + 10);
  }

  @Test
  void aRequestRefusedByOneLimitChargesNone() {
    Rates r = rates(new Limit("fast", 100, Duration.ofSeconds(1), 100), new Limit("slow", 2, Duration.ofMinutes(1), 2));
    long[] tats = new long[2];
    assertThat(Gcra.admit(tats, r.emission(), r.tolerance(), T0, 10)).isEqualTo(2);
    long[] before = tats.clone();
    assertThat(Gcra.admit(tats, r.emission(), r.tolerance(), T0 + MS, 1)).isZero();
    assertThat(tats).containsExactly(before);
    // The fast limit has 98 left right now; the slow one none, for 30 s.
    assertThat(Gcra.remaining(tats[0], r.emission()[0], r.tolerance()[0], T0 + MS)).isEqualTo(98);
    assertThat(Gcra.remaining(tats[1], r.emission()[1], r.tolerance()[1], T0 + MS)).isZero();
    assertThat(Gcra.retryAfter(tats, r.tolerance(), T0)).isEqualTo(30_000 * MS);
  }

  @Test
  void theEntryProcessorReportsWhatEachRiderOfABatchNeedsAndExpiresIdleKeys() {
    Rates r = rates(new Limit("l", 10, Duration.ofSeconds(1), 4));
    MemoryEntry entry = new MemoryEntry("k");
    long[] result = new GcraProcessor(r, 6).process(entry, T0);
    assertThat(result[0]).as("admitted").isEqualTo(4);
    assertThat(result[1]).as("owner's now").isEqualTo(T0);
    assertThat(result[2]).as("start TAT").isEqualTo(T0);
    assertThat(entry.value).containsExactly(T0 + 4 * 100 * MS);
    assertThat(entry.ttlMillis).as("until the key is as good as new, plus a second").isEqualTo(400 + 1_000);

    GcraProcessor refused = new GcraProcessor(r, 1);
    long[] second = refused.process(entry, T0 + 50 * MS);
    assertThat(second[0]).isZero();
    assertThat(refused.getBackupProcessor()).as("a refusal changes nothing: no backup").isNull();

    GcraProcessor admitted = new GcraProcessor(r, 1);
    admitted.process(entry, T0 + 100 * MS);
    assertThat(admitted.getBackupProcessor()).isInstanceOf(StateBackup.class);
    MemoryEntry backup = new MemoryEntry("k");
    admitted.getBackupProcessor().process(backup);
    assertThat(backup.value).as("the backup gets the primary's value, not a re-run").containsExactly(entry.value);
  }

  @Test
  void aBatchOverManyKeysDecidesEachKeyAloneAndBacksUpWhatItWrote() {
    Rates r = rates(new Limit("l", 10, Duration.ofSeconds(1), 3));
    GcraBatchProcessor batch = new GcraBatchProcessor(r, java.util.Map.of("a", 5, "b", 1));
    MemoryEntry a = new MemoryEntry("a");
    MemoryEntry b = new MemoryEntry("b");
    MemoryEntry c = new MemoryEntry("c");
    assertThat(batch.process(a)[0]).isEqualTo(3);
    assertThat(batch.process(b)[0]).isEqualTo(1);
    assertThat(batch.process(c)[0]).as("a key the batch does not name is not charged").isZero();
    assertThat(c.value).isNull();
    var backup = batch.getBackupProcessor();
    MemoryEntry a2 = new MemoryEntry("a");
    MemoryEntry c2 = new MemoryEntry("c");
    backup.process(a2);
    backup.process(c2);
    assertThat(a2.value).containsExactly(a.value);
    assertThat(a2.ttlMillis).isEqualTo(a.ttlMillis);
    assertThat(c2.value).isNull();
  }

  @Test
  void aValueOfAnotherShapeIsAFreshKeyNotAMisreadOne() {
    Rates r = rates(new Limit("l", 10, Duration.ofSeconds(1), 1));
    MemoryEntry entry = new MemoryEntry("k");
    entry.value = new long[] {Long.MAX_VALUE / 2, 5, 6};
    assertThat(new GcraProcessor(r, 1).process(entry, T0)[0]).isEqualTo(1);
  }

  @Test
  void syncChargesReportedAdmissionsAndSumsFreshDemandPerMember() {
    Rates r = rates(new Limit("l", 100, Duration.ofSeconds(1), 10));
    MemoryEntry entry = new MemoryEntry("k");
    long stale = 300 * MS;
    // Member 1 admitted 5 requests over the last 100 ms; on their own they brought its TAT 10 ms past its clock.
    long[] a = new SyncProcessor(r, 5, new long[] {10 * MS}, 30, 1L, stale).process(entry, T0);
    assertThat(a[0]).isEqualTo(T0);
    assertThat(a[1]).isEqualTo(30);
    assertThat(a[2]).isEqualTo(30);
    assertThat(a[3]).as("replayed: a fresh key charged 5 spread-out admissions ends at their own TAT")
        .isEqualTo(T0 + 10 * MS);
    long[] b = new SyncProcessor(r, 3, new long[] {5 * MS}, 10, 2L, stale).process(entry, T0 + 10 * MS);
    assertThat(b[2]).as("both members' demand").isEqualTo(40);
    assertThat(b[3]).as("charged on top, even over the limit").isEqualTo(T0 + 10 * MS + 3 * 10 * MS);
    long[] c = new SyncProcessor(r, 0, new long[] {SyncProcessor.NONE}, 10, 2L, stale).process(entry, T0 + 400 * MS);
    assertThat(c[2]).as("member 1 went quiet 400 ms ago: its demand is stale").isEqualTo(10);
    assertThat(c[3]).as("nothing admitted, nothing charged").isEqualTo(b[3]);
  }
}
