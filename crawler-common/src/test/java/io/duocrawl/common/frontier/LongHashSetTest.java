package io.duocrawl.common.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LongHashSetTest {

  @Test
  void addReportsWhetherTheKeyWasNew() {
    LongHashSet set = new LongHashSet(4);
    assertThat(set.add(42)).isTrue();
    assertThat(set.add(42)).isFalse();
    assertThat(set.contains(42)).isTrue();
    assertThat(set.contains(43)).isFalse();
    assertThat(set.size()).isEqualTo(1);
  }

  @Test
  void zeroIsAnOrdinaryKey() {
    LongHashSet set = new LongHashSet(4);
    assertThat(set.contains(0)).isFalse();
    assertThat(set.add(0)).isTrue();
    assertThat(set.add(0)).isFalse();
    assertThat(set.contains(0)).isTrue();
    assertThat(set.remove(0)).isTrue();
    assertThat(set.remove(0)).isFalse();
    assertThat(set.size()).isZero();
  }

  @Test
  void tableGrowsByHalfWhenThreeQuartersFull() {
    LongHashSet set = new LongHashSet(12);
    assertThat(set.capacity()).isEqualTo(16);
    for (long k = 1; k <= 12; k++) {
      set.add(k * 0x9E3779B97F4A7C15L);
    }
    assertThat(set.capacity()).isEqualTo(16);
    set.add(13 * 0x9E3779B97F4A7C15L);
    assertThat(set.capacity()).isEqualTo(24);
    for (long k = 1; k <= 13; k++) {
      assertThat(set.contains(k * 0x9E3779B97F4A7C15L)).isTrue();
    }
  }

  @Test
  void collidingKeysSurviveRemovalInTheMiddleOfTheirRun() {
    // Same low bits, so all land on one home slot and form one probe run.
    LongHashSet set = new LongHashSet(8);
    long a = 5;
    long b = 5 + (1L << 40);
    long c = 5 + (2L << 40);
    set.add(a);
    set.add(b);
    set.add(c);
    assertThat(set.remove(b)).isTrue();
    assertThat(set.contains(a)).isTrue();
    assertThat(set.contains(b)).isFalse();
    assertThat(set.contains(c)).isTrue();
    assertThat(set.remove(a)).isTrue();
    assertThat(set.contains(c)).isTrue();
  }

  @Test
  void behavesLikeAHashSetUnderRandomChurn() {
    Random random = new Random(7);
    LongHashSet set = new LongHashSet(4);
    Set<Long> reference = new HashSet<>();
    for (int i = 0; i < 200_000; i++) {
      // A small key space (and some clustered low bits) makes collisions and removals frequent.
      long key = random.nextInt(5_000) * (random.nextBoolean() ? 1L : 1L << 32);
      switch (random.nextInt(3)) {
        case 0 -> assertThat(set.add(key)).isEqualTo(reference.add(key));
        case 1 -> assertThat(set.remove(key)).isEqualTo(reference.remove(key));
        default -> assertThat(set.contains(key)).isEqualTo(reference.contains(key));
      }
      assertThat(set.size()).isEqualTo(reference.size());
    }
    for (long key : reference) {
      assertThat(set.contains(key)).isTrue();
    }
  }

  @Test
  void memoryPerKeyStaysAtOrUnder16BytesAtEverySizePastTheFirstTable() {
    LongHashSet set = new LongHashSet(0);
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (int n = 1; n <= 200_000; n++) {
      set.add(random.nextLong() | 1);
      if (n > 16) {
        assertThat(8.0 * set.capacity() / set.size())
            .as("bytes per key at %d", n)
            .isLessThanOrEqualTo(16.0 + 1e-9);
      }
    }
  }

  @Test
  void surelyContainsSaysTrueOnlyForKeysAddedAndNeverForZero() {
    LongHashSet set = new LongHashSet(4);
    for (long k = 1; k <= 1_000; k++) {
      set.add(k * 0x9E3779B97F4A7C15L);
    }
    set.add(0);
    for (long k = 1; k <= 1_000; k++) {
      assertThat(set.surelyContains(k * 0x9E3779B97F4A7C15L)).isTrue();
      assertThat(set.surelyContains(-k * 0x9E3779B97F4A7C15L)).isFalse();
    }
    // Zero lives in a flag the lock-free probe does not read: "not known", never a wrong yes.
    assertThat(set.surelyContains(0)).isFalse();
  }

  @Test
  void surelyContainsRacingAWriterThatGrowsTheTableNeverClaimsAKeyNotYetAdded() throws Exception {
    LongHashSet set = new LongHashSet(16);
    int keys = 200_000;
    java.util.concurrent.atomic.AtomicInteger added =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread writer =
        new Thread(
            () -> {
              for (int k = 1; k <= keys; k++) {
                set.add(k * 0x9E3779B97F4A7C15L);
                added.set(k);
              }
            });
    writer.start();
    Random random = new Random(7);
    long trueAnswers = 0;
    while (writer.isAlive() || trueAnswers == 0) {
      int k = 1 + random.nextInt(keys);
      if (set.surelyContains(k * 0x9E3779B97F4A7C15L)) {
        // The key was stored before this read; the writer publishes its count right after storing,
        // so it is at most one behind.
        assertThat(k).isLessThanOrEqualTo(added.get() + 1);
        trueAnswers++;
      }
      if (!writer.isAlive() && trueAnswers == 0) {
        break;
      }
    }
    writer.join();
    for (int k = 1; k <= keys; k++) {
      assertThat(set.surelyContains(k * 0x9E3779B97F4A7C15L)).isTrue();
    }
  }
}
