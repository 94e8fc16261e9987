package dev.backstream.coordinator.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchSamplerTest {

  @Test
  void theBatchIsAPureFunctionOfSeedAndStep() {
    assertThat(BatchSampler.batch(7, 123, 60_000, 100))
        .containsExactly(BatchSampler.batch(7, 123, 60_000, 100));
  }

  @Test
  void stepsAndSeedsGiveDifferentBatches() {
    int[] base = BatchSampler.batch(0, 0, 60_000, 100);
    assertThat(BatchSampler.batch(0, 1, 60_000, 100)).isNotEqualTo(base);
    assertThat(BatchSampler.batch(1, 0, 60_000, 100)).isNotEqualTo(base);
  }

  @Test
  void indicesStayInTheSetAndCoverItEvenly() {
    int setSize = 10;
    int[] counts = new int[setSize];
    for (long step = 0; step < 1000; step++) {
      for (int i : BatchSampler.batch(3, step, setSize, 100)) {
        assertThat(i).isBetween(0, setSize - 1);
        counts[i]++;
      }
    }
    // 100,000 draws over 10 values: each near 10,000 (standard deviation about 95)
    assertThat(java.util.Arrays.stream(counts).boxed().toList())
        .allSatisfy(c -> assertThat(c).isBetween(9_500, 10_500));
  }

  @Test
  void drawsWithReplacement() {
    int[] batch = BatchSampler.batch(0, 0, 5, 100);
    assertThat(java.util.Arrays.stream(batch).distinct().count()).isLessThanOrEqualTo(5);
    assertThat(batch).hasSize(100);
  }

  @Test
  void rejectsAnEmptySet() {
    assertThatThrownBy(() -> BatchSampler.batch(0, 0, 0, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from a set of 0");
  }
}
