package dev.backstream.coordinator.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import org.junit.jupiter.api.Test;

class TrainingSettingsTest {

  private static TrainingSettings with(int steps, int batch, double lr, int shards) {
    return new TrainingSettings(DatasetName.MNIST, steps, batch, lr, 50, Activation.RELU, 0, shards, 0.01);
  }

  @Test
  void defaultsAreTheBooksRun() {
    TrainingSettings d = TrainingSettings.defaults();
    assertThat(d.steps()).isEqualTo(10_000);
    assertThat(d.batch()).isEqualTo(100);
    assertThat(d.learningRate()).isEqualTo(0.1);
    assertThat(d.toString()).contains("steps=10000", "batch=100", "lr=0.1", "shards=4", "seed=0");
  }

  @Test
  void badValuesNameTheOptionAndTheRange() {
    assertThatThrownBy(() -> with(-1, 100, 0.1, 4)).hasMessage("Invalid value -1 for --steps: must be at least 1");
    assertThatThrownBy(() -> with(10, 0, 0.1, 1)).hasMessageContaining("Invalid value 0 for --batch");
    assertThatThrownBy(() -> with(10, 100, 0, 4)).hasMessageContaining("Invalid value 0.0 for --lr");
    assertThatThrownBy(() -> with(10, 100, Double.NaN, 4)).hasMessageContaining("for --lr");
    assertThatThrownBy(() -> with(10, 100, 0.1, 101))
        .hasMessage("Invalid value 101 for --shards: must be in [1, 100] (at most --batch)");
  }

  @Test
  void anEpochIsOnePassOverTheTrainingSet() {
    assertThat(TrainingSettings.defaults().stepsPerEpoch(60_000)).isEqualTo(600);
    assertThat(TrainingSettings.defaults().stepsPerEpoch(50)).isEqualTo(1);
  }
}
