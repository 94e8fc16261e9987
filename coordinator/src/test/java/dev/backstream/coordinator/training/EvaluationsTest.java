package dev.backstream.coordinator.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationsTest {
  /** The steps of a 25-step run with 10-step epochs that {@code which} scores. */
  private static List<Long> scored(Evaluations which) {
    List<Long> steps = new ArrayList<>();
    for (long done = 1; done <= 25; done++) {
      if (which.due(done, 25, done % 10 == 0)) {
        steps.add(done);
      }
    }
    return steps;
  }

  @Test
  void everyEpochScoresEachEpochsEndAndTheLastStep() {
    assertEquals(List.of(10L, 20L, 25L), scored(Evaluations.EVERY_EPOCH));
  }

  @Test
  void lastStepScoresOnlyTheLastStep() {
    assertEquals(List.of(25L), scored(Evaluations.LAST_STEP));
  }
}
