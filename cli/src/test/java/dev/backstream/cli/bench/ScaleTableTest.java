package dev.backstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Speed-up, efficiency and the CSV of {@code bench scale}, on hand-computed rows. */
class ScaleTableTest {
  private static final double TOLERANCE = 1e-12;

  /** A steady state whose mean step is {@code meanMs}. */
  private static ScaleTable.Row row(int workers, double meanMs) {
    WarmUp.Split split = new WarmUp.Split(true, 10, 1.0, 30, 500, meanMs - 1, meanMs * 3, meanMs);
    return new ScaleTable.Row(workers, 1, 2000, 40, 50, split, 1.5);
  }

  @Test
  void speedUpAndEfficiencyAreAgainstTheFirstRow() {
    // 50 ms a step with 1 worker (20 steps/s), 20 ms with 4 (50 steps/s): 2.5x on 4 workers
    ScaleTable table = new ScaleTable(List.of(row(1, 50), row(4, 20)));

    assertThat(table.rows().get(1).stepsPerSecond()).isCloseTo(50, within(TOLERANCE));
    assertThat(table.speedup(0)).isCloseTo(1, within(TOLERANCE));
    assertThat(table.speedup(1)).isCloseTo(2.5, within(TOLERANCE));
    assertThat(table.efficiency(1)).isCloseTo(0.625, within(TOLERANCE));
  }

  @Test
  void theFirstRowNeedNotBeOneWorker() {
    // 2 workers at 40 ms, 4 at 25 ms: 1.6x for twice the workers
    ScaleTable table = new ScaleTable(List.of(row(2, 40), row(4, 25)));

    assertThat(table.speedup(1)).isCloseTo(1.6, within(TOLERANCE));
    assertThat(table.efficiency(1)).isCloseTo(0.8, within(TOLERANCE));
  }

  @Test
  void csvHasTheHeaderThenOneLinePerRowInOrder() {
    List<String> csv = new ScaleTable(List.of(row(1, 50), row(2, 40))).csv();

    assertThat(csv).hasSize(3);
    assertThat(csv.get(0)).isEqualTo(ScaleTable.CSV_HEADER);
    assertThat(csv.get(1)).isEqualTo(
        "1,1,2000,40,50,500,true,49.000,150.000,50.000,20.00,40000.0,1.000,1.000,1.50");
    assertThat(csv.get(2)).startsWith("2,1,2000,40,50,500,true,39.000,120.000,40.000,25.00,"
        + "50000.0,1.250,0.625,");
  }

  @Test
  void tableHasAHeaderAndOneLinePerRow() {
    String text = new ScaleTable(List.of(row(1, 50), row(2, 40))).format();

    assertThat(text.lines()).hasSize(3);
    assertThat(text.lines().toList().get(2)).matches(" +2 +1 +39\\.00 +120\\.00 +25\\.0 +50000 "
        + "+1\\.25x +63% +500 +1\\.5");
  }

  @Test
  void refusesAnEmptyTable() {
    assertThatThrownBy(() -> new ScaleTable(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
