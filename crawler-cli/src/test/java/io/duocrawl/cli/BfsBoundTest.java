package io.duocrawl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BfsBoundTest {
  private static final Duration L = Duration.ofMillis(100);

  @Test
  void aChainOfPagesTakesOneRoundPerPageWhateverTheConcurrency() {
    long[] chain = {1, 1, 1, 1, 1};
    assertThat(BfsBound.rounds(chain, 1_000, 100)).isEqualTo(5);
    assertThat(BfsBound.pagesPerSecond(chain, 1_000, 100, L).getAsDouble()).isEqualTo(10.0);
  }

  @Test
  void aWideLevelIsFetchedCPagesPerRound() {
    long[] wide = {1, 100};
    // Round 0: the seed. Rounds 1-4: 100 pages, 30 at a time (30, 30, 30, 10).
    assertThat(BfsBound.rounds(wide, 30, 1_000)).isEqualTo(5);
  }

  @Test
  void pagesOfALevelWaitWhileSlotsAreBusyAndJoinTheNextRounds() {
    long[] levels = {1, 4, 16};
    // r0: seed; r1: 4 of depth 1 (C = 4); r2-r5: 16 of depth 2.
    assertThat(BfsBound.rounds(levels, 4, 100)).isEqualTo(6);
  }

  @Test
  void thePageBudgetCountsTheShallowestPagesFirst() {
    long[] levels = {1, 8, 64, 512};
    // Budget 20: the seed, 8 at depth 1, 11 at depth 2; C = 100: three rounds.
    assertThat(BfsBound.rounds(levels, 100, 20)).isEqualTo(3);
    assertThat(BfsBound.pagesPerSecond(levels, 100, 20, L).getAsDouble())
        .isCloseTo(20 / 0.3, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void theBoundNeverExceedsLittlesLaw() {
    long[] levels = {1, 8, 64, 512, 4096, 15_000};
    for (int c : new int[] {1, 16, 64, 256, 1024, 10_000}) {
      double littles = c / 0.1;
      assertThat(BfsBound.pagesPerSecond(levels, c, 20_000, L).getAsDouble())
          .isLessThanOrEqualTo(littles);
    }
  }

  @Test
  void zeroLatencyGivesNoBound() {
    assertThat(BfsBound.pagesPerSecond(new long[] {1, 8}, 4, 100, Duration.ZERO)).isEmpty();
  }
}
