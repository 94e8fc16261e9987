package dev.backstream.coordinator.step;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepDeadlineTest {

  @Test
  void isAMultipleOfTheMedianAboveAFloor() {
    StepDeadline deadline = new StepDeadline(100, 4.0, 3);
    deadline.record(10);
    deadline.record(50);
    deadline.record(30);
    assertThat(deadline.medianNanos()).isEqualTo(30);
    assertThat(deadline.deadlineNanos()).isEqualTo(120);
    deadline.record(1);
    deadline.record(1);
    // the window holds 1, 1, 30 now
    assertThat(deadline.medianNanos()).isEqualTo(1);
    assertThat(deadline.deadlineNanos()).isEqualTo(100);
  }

  @Test
  void waitsForAColdFirstStepLongerThanTheFloor() {
    StepDeadline deadline = new StepDeadline(100, 4.0, 3);
    assertThat(deadline.deadlineNanos()).isEqualTo(StepDeadline.FIRST_STEP_FLOOR_NANOS);
    deadline.record(10);
    assertThat(deadline.deadlineNanos()).isEqualTo(100);
    StepDeadline longFloor = new StepDeadline(StepDeadline.FIRST_STEP_FLOOR_NANOS * 2, 4.0, 3);
    assertThat(longFloor.deadlineNanos()).isEqualTo(StepDeadline.FIRST_STEP_FLOOR_NANOS * 2);
  }
}
