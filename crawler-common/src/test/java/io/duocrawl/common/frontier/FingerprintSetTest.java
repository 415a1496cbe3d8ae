package io.duocrawl.common.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FingerprintSetTest {
  @Test
  void keysAddedAreContainedAndAddedOnlyOnce() {
    FingerprintSet set = new FingerprintSet(1000);
    SplittableRandom random = new SplittableRandom(1);
    long[] keys = new long[50_000];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = random.nextLong();
      assertThat(set.add(keys[i])).isTrue();
    }
    for (long key : keys) {
      assertThat(set.contains(key)).isTrue();
      assertThat(set.add(key)).isFalse();
    }
    assertThat(set.size()).isEqualTo(keys.length);
    assertThat(set.contains(random.nextLong())).isFalse();
  }

  @Test
  void aSetPresizedForItsKeysDoesNotGrowAndUsesUnder17BytesPerKey() {
    FingerprintSet set = new FingerprintSet(100_000);
    long slots = set.capacity();
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 100_000; i++) {
      set.add(random.nextLong());
    }
    // Segments fill unevenly, so a few may grow; the total stays within a few percent.
    assertThat(set.capacity()).isLessThan(slots * 11 / 10);
    assertThat(8.0 * set.capacity() / set.size()).isLessThan(17.0);
  }

  @Test
  void presizingIsCappedSoAHugePageBudgetDoesNotAllocateUpFront() {
    assertThat(new FingerprintSet(Integer.MAX_VALUE).capacity())
        .isLessThan(2L * FingerprintSet.MAX_PRESIZE);
  }
}
