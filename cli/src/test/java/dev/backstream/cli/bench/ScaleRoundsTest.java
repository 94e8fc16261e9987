package dev.backstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rounds of {@code bench scale}: their order, their speed-ups and their CSV. */
class ScaleRoundsTest {

  /** A steady state whose mean step is {@code meanMs}. */
  private static ScaleTable.Row row(int workers, double meanMs) {
    WarmUp.Split split = new WarmUp.Split(true, 10, 1.0, 30, 500, meanMs - 1, meanMs * 3, meanMs);
    return new ScaleTable.Row(workers, 1, 16384, 16, 50, split, 2.0);
  }

  @Test
  void oddRoundsMeasureInTheOrderAskedAndEvenRoundsReversed() {
    assertThat(ScaleRounds.order(List.of(1, 2, 4), 1)).containsExactly(1, 2, 4);
    assertThat(ScaleRounds.order(List.of(1, 2, 4), 2)).containsExactly(4, 2, 1);
    assertThat(ScaleRounds.order(List.of(1, 2, 4), 3)).containsExactly(1, 2, 4);
  }

  @Test
  void eachCountsSpeedUpIsGivenPerRoundWithTheirMedianAndLeast() {
    // 1 worker: 80 then 75 ms; 2 workers: 50 then 50 ms: 1.60x, then 1.50x
    ScaleRounds rounds = new ScaleRounds(List.of(
        new ScaleTable(List.of(row(1, 80), row(2, 50))),
        new ScaleTable(List.of(row(1, 75), row(2, 50)))));

    assertThat(rounds.speedups()).containsExactly("speed-up of 2 against 1 worker(s), round by "
        + "round: 1.60x, 1.50x; median 1.55x, least 1.50x");
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(ScaleRounds.median(new double[] {1.6, 1.4})).isCloseTo(1.5, within(1e-12));
    assertThat(ScaleRounds.median(new double[] {3, 1, 2})).isEqualTo(2);
  }

  @Test
  void csvHasEveryRoundsRowsEachEndingInItsRound() {
    ScaleRounds rounds = new ScaleRounds(List.of(
        new ScaleTable(List.of(row(1, 80), row(2, 50))),
        new ScaleTable(List.of(row(1, 75), row(2, 50)))));

    List<String> csv = rounds.csv();

    assertThat(csv).hasSize(5);
    assertThat(csv.get(0)).isEqualTo(ScaleTable.CSV_HEADER + ",round");
    assertThat(csv.subList(1, 5)).extracting(line -> line.substring(line.lastIndexOf(',') + 1))
        .containsExactly("1", "1", "2", "2");
    assertThat(csv.get(3)).startsWith("1,1,16384,16,50,500,true,74.000,");
  }

  @Test
  void refusesNoRounds() {
    assertThatThrownBy(() -> new ScaleRounds(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
