package dev.backstream.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Dtype;
import org.junit.jupiter.api.Test;

class RunSpecTest {

  private static RunSpec with(int steps, int batch, double lr, int shards) {
    return new RunSpec(DatasetName.MNIST, steps, batch, lr, 50, Activation.RELU, 0, shards, 0.01);
  }

  @Test
  void defaultsAreTheBooksRun() {
    RunSpec d = RunSpec.defaults();
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
    assertThat(RunSpec.defaults().stepsPerEpoch(60_000)).isEqualTo(600);
    assertThat(RunSpec.defaults().stepsPerEpoch(50)).isEqualTo(1);
  }

  @Test
  void theDtypeIsASettingThatCheckpointsRecord() {
    RunSpec float32 = RunSpec.defaults().withDtype(Dtype.FLOAT32);
    assertThat(RunSpec.defaults().dtype()).isEqualTo(Dtype.FLOAT64);
    assertThat(float32.toString()).endsWith(" dtype=float32");
    assertThat(RunSpec.fromJson(float32.toJson())).isEqualTo(float32);
    // a resumed run compares settings (but --steps): another dtype is another model
    assertThat(float32.withSteps(5)).isNotEqualTo(RunSpec.defaults().withSteps(5));
    assertThat(float32.withSteps(5).dtype()).isEqualTo(Dtype.FLOAT32);
  }

  @Test
  void settingsWrittenBeforeRunsHadADtypeAreFloat64() {
    String json = RunSpec.defaults().toJson();
    String older = json.replaceAll(",?\"dtype\":\"[A-Z0-9]+\"", "");
    assertThat(older).doesNotContain("dtype");
    assertThat(RunSpec.fromJson(older)).isEqualTo(RunSpec.defaults());
  }

  @Test
  void aDtypeIsParsedByItsName() {
    assertThat(Dtype.parse("float32")).isEqualTo(Dtype.FLOAT32);
    assertThatThrownBy(() -> Dtype.parse("float16"))
        .hasMessage("Invalid value 'float16' for --dtype: must be one of float64, float32");
  }
}
