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

  /** An IMap entry holding a bucket, in a field. */
  private static final class BucketEntry implements java.util.Map.Entry<String, KeyBucket> {
    KeyBucket value;
    int writes;

    @Override
    public String getKey() {
      return "proxy#0";
    }

    @Override
    public KeyBucket getValue() {
      return value;
    }

    @Override
    public KeyBucket setValue(KeyBucket v) {
      writes++;
      KeyBucket old = value;
      value = v;
      return old;
    }
  }

  private static java.util.Map<String, Integer> requests(Object... keyCount) {
    java.util.Map<String, Integer> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keyCount.length; i += 2) {
      m.put((String) keyCount[i], (Integer) keyCount[i + 1]);
    }
    return m;
  }

  @Test
  void aBucketCallDecidesEachKeyAloneAndReportsWhatEachRiderNeeds() {
    Rates r = rates(new Limit("l", 10, Duration.ofSeconds(1), 4));
    BucketEntry entry = new BucketEntry();
    var result = new DecideProcessor(r, 100, requests("a", 6, "b", 1)).process(entry, T0);
    assertThat(result.get("a")[0]).as("admitted").isEqualTo(4);
    assertThat(result.get("a")[1]).as("owner's now").isEqualTo(T0);
    assertThat(result.get("a")[2]).as("start TAT").isEqualTo(T0);
    assertThat(result.get("b")[0]).isEqualTo(1);
    assertThat(entry.value.get("a")).containsExactly(T0 + 4 * 100 * MS);
    assertThat(entry.writes).isEqualTo(1);

    DecideProcessor refused = new DecideProcessor(r, 100, requests("a", 1));
    assertThat(refused.process(entry, T0 + 50 * MS).get("a")[0]).isZero();
    assertThat(refused.getBackupProcessor()).as("a refusal changes nothing: no backup").isNull();
    assertThat(entry.writes).isEqualTo(1);

    DecideProcessor admitted = new DecideProcessor(r, 100, requests("a", 1));
    admitted.process(entry, T0 + 100 * MS);
    BucketEntry backup = new BucketEntry();
    admitted.getBackupProcessor().process(backup);
    assertThat(backup.value.get("a")).as("the backup gets the primary's value, not a re-run")
        .containsExactly(entry.value.get("a"));
    assertThat(backup.value.get("b")).as("only what changed travels to the backup").isNull();
  }

  @Test
  void aBucketForgetsKeysThatAreAsGoodAsNewAndCountsWhatItMustEvict() {
    Rates r = rates(new Limit("l", 10, Duration.ofSeconds(1), 1));
    BucketEntry entry = new BucketEntry();
    new DecideProcessor(r, 2, requests("a", 1, "b", 1)).process(entry, T0);
    // 200 ms later a and b are as good as new: touching c tidies them away.
    var later = new DecideProcessor(r, 2, requests("c", 1));
    later.process(entry, T0 + 200 * MS);
    assertThat(entry.value.size()).isEqualTo(1);
    assertThat(entry.value.get("a")).isNull();
    // Three busy keys in a bucket of two: the least recently used is evicted, and counted.
    var result = new DecideProcessor(r, 2, requests("d", 1, "e", 1)).process(entry, T0 + 210 * MS);
    assertThat(result.get(BucketProcessor.EVICTED)).containsExactly(1L);
    assertThat(entry.value.size()).isEqualTo(2);
    assertThat(entry.value.get("c")).as("the least recently used went").isNull();
  }

  @Test
  void aValueOfAnotherShapeIsAFreshKeyNotAMisreadOne() {
    Rates r = rates(new Limit("l", 10, Duration.ofSeconds(1), 1));
    BucketEntry entry = new BucketEntry();
    entry.value = new KeyBucket();
    entry.value.put("k", new long[] {Long.MAX_VALUE / 2, 5, 6});
    assertThat(new DecideProcessor(r, 100, requests("k", 1)).process(entry, T0).get("k")[0]).isEqualTo(1);
  }

  @Test
  void syncChargesReportedAdmissionsAndSumsFreshDemandPerMember() {
    Rates r = rates(new Limit("l", 100, Duration.ofSeconds(1), 10));
    long stale = 300 * MS;
    // Member 1 admitted 5 requests over the last 100 ms; on their own they brought its TAT 10 ms past its clock.
    Step a = SyncStep.apply(null, T0, r.emission(), SyncStep.args(5, 30, new long[] {10 * MS}), 1L, stale);
    assertThat(a.result()[0]).isEqualTo(T0);
    assertThat(a.result()[1]).isEqualTo(30);
    assertThat(a.result()[2]).isEqualTo(30);
    assertThat(a.result()[3]).as("replayed: a fresh key charged 5 spread-out admissions ends at their own TAT")
        .isEqualTo(T0 + 10 * MS);
    Step b = SyncStep.apply(a.value(), T0 + 10 * MS, r.emission(), SyncStep.args(3, 10, new long[] {5 * MS}), 2L,
        stale);
    assertThat(b.result()[2]).as("both members' demand").isEqualTo(40);
    assertThat(b.result()[3]).as("charged on top, even over the limit").isEqualTo(T0 + 10 * MS + 3 * 10 * MS);
    Step c = SyncStep.apply(b.value(), T0 + 400 * MS, r.emission(),
        SyncStep.args(0, 10, new long[] {SyncStep.NONE}), 2L, stale);
    assertThat(c.result()[2]).as("member 1 went quiet 400 ms ago: its demand is stale").isEqualTo(10);
    assertThat(c.result()[3]).as("nothing admitted, nothing charged").isEqualTo(b.result()[3]);
    assertThat(SyncStep.stale(c.value(), 1, T0 + 800 * MS, stale)).isTrue();
    assertThat(SyncStep.stale(c.value(), 1, T0 + 500 * MS, stale)).as("member 2's demand is recent").isFalse();
  }

  @Test
  void bucketsSpreadAPolicysKeys() {
    java.util.Set<String> buckets = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      buckets.add(Buckets.of("proxy", "proxy\u001f10.0.0." + i));
    }
    assertThat(buckets).hasSize(Buckets.COUNT);
    assertThat(Buckets.capacity(1_000_000)).isEqualTo(125_000);
  }
}
