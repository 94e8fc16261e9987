package dev.backstream.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

  @Test
  void namesCarryTheRunPrefix() {
    Topics topics = Topics.forRun("mnist-1_a");

    assertThat(topics.steps()).isEqualTo("backstream.mnist-1_a.steps");
    assertThat(topics.gradients()).isEqualTo("backstream.mnist-1_a.gradients");
    assertThat(topics.members()).isEqualTo("backstream.mnist-1_a.members");
    assertThat(topics.metrics()).isEqualTo("backstream.mnist-1_a.metrics");
    assertThat(topics.checkpoints()).isEqualTo("backstream.mnist-1_a.checkpoints");
    assertThat(topics.all()).hasSize(5).doesNotHaveDuplicates();
  }

  @Test
  void acceptsTheLongestName() {
    String longest = "r".repeat(Topics.MAX_RUN_LENGTH);

    assertThat(Topics.forRun(longest).checkpoints()).hasSizeLessThan(249);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "a/b", "r\u00fcn", "\u5b9f\u9a13", "a:b", "tab\t", "col.x", "."})
  void rejectsInvalidNamesWithTheFlagName(String run) {
    assertThatThrownBy(() -> Topics.forRun(run))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid value '" + run + "' for --run: ");
  }

  @Test
  void refusesTheDotWithTheCharactersThatAreAllowed() {
    // Kafka treats '.' and '_' alike: col.x and col_x would name colliding topics
    assertThatThrownBy(() -> Topics.forRun("col.x"))
        .hasMessage("Invalid value 'col.x' for --run: must be 1 to 100 characters from A-Z, a-z,"
            + " 0-9, '_' and '-' ('.' separates the parts of a topic name)");
    assertThat(Topics.forRun("col_x").steps()).isEqualTo("backstream.col_x.steps");
  }

  @Test
  void rejectsTooLongAndNullNames() {
    assertThatThrownBy(() -> Topics.forRun("r".repeat(Topics.MAX_RUN_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Topics(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'null'");
  }
}
