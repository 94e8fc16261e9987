package dev.backstream.coordinator.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.protocol.RunSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local trainer on the committed 2,000-image MNIST subset. */
class LocalTrainerTest {
  private static final Dataset SUBSET = TestDatasets.mnistSubset();

  private static RunSpec settings(int steps, int shards) {
    return new RunSpec(DatasetName.MNIST, steps, 100, 0.1, 50, Activation.RELU, 0, shards, 0.01);
  }

  private static TrainingSummary train(RunSpec s, TrainingListener l) throws InterruptedException {
    return new LocalTrainer(s, SUBSET, l).run();
  }

  @Test
  void learnsTheSubset() throws InterruptedException {
    TrainingSummary s = train(settings(400, 4), TrainingListener.NONE);
    // 20 epochs over 2,000 images: a 784-50-10 network fits them well past chance (0.1)
    assertThat(s.trainAccuracy()).isGreaterThan(0.9);
    assertThat(s.testAccuracy()).isGreaterThan(0.8);
    assertThat(s.paramsSha256()).hasSize(64);
  }

  @Test
  void twoRunsWithTheSameSettingsEndOnTheSameBits() throws InterruptedException {
    assertThat(train(settings(50, 4), TrainingListener.NONE).paramsSha256())
        .isEqualTo(train(settings(50, 4), TrainingListener.NONE).paramsSha256());
  }

  @Test
  void aFloat32RunLearnsTheSubsetWithFloatParametersAndItsOwnBits() throws InterruptedException {
    RunSpec float32 = settings(400, 4).withDtype(Dtype.FLOAT32);
    TrainingSummary s = train(float32, TrainingListener.NONE);
    assertThat(s.trainAccuracy()).isGreaterThan(0.9);
    assertThat(s.testAccuracy()).isGreaterThan(0.8);
    for (double p : s.params().values()) {
      assertThat((double) (float) p).isEqualTo(p);
    }
    assertThat(s.paramsSha256()).isNotEqualTo(train(settings(400, 4), TrainingListener.NONE).paramsSha256());
    assertThat(train(float32, TrainingListener.NONE).paramsSha256()).isEqualTo(s.paramsSha256());
  }

  @Test
  void float32SgdIsFloatArithmetic() {
    FlatVector next = FlatVector.zeros(Dtype.FLOAT32, 2);
    Sgd.step(FlatVector.float32(1f, -0.5f), FlatVector.float32(0.3f, 1e-3f), 3, 0.1, next);
    float[] params = next.floats();
    assertThat(params).containsExactly(1f - 0.1f * (0.3f / 3), -0.5f - 0.1f * (1e-3f / 3));
    assertThat((double) params[0]).isNotEqualTo(1.0 - 0.1 * ((double) 0.3f / 3));
  }

  @Test
  void theShardCountIsPartOfTheModel() throws InterruptedException {
    // summing in another tree changes rounding: S is a run setting, as DESIGN.md says
    assertThat(train(settings(20, 4), TrainingListener.NONE).paramsSha256())
        .isNotEqualTo(train(settings(20, 3), TrainingListener.NONE).paramsSha256());
  }

  @Test
  void reportsEveryEpochInOrderAndEveryStep() throws InterruptedException {
    List<EpochReport> epochs = new ArrayList<>();
    long[] lastStep = {0};
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onStep(long done, long total) {
        lastStep[0] = done;
      }

      @Override
      public void onEpoch(EpochReport report) {
        epochs.add(report);
      }
    };
    train(settings(50, 2), listener);
    // 20 steps an epoch over 2,000 images: epochs end at 20 and 40, the run at 50
    assertThat(epochs).extracting(EpochReport::step).containsExactly(20L, 40L, 50L);
    assertThat(epochs).extracting(EpochReport::epoch).containsExactly(1, 2, 3);
    assertThat(lastStep[0]).isEqualTo(50);
  }

  @Test
  void stopsAtTheFirstStepWhoseLossOrUpdateIsNotFinite() {
    RunSpec tooFast = 
        new RunSpec(DatasetName.MNIST, 50, 100, 1e308, 50, Activation.RELU, 0, 4, 0.01);
    List<Long> finished = new ArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onStep(long done, long total) {
        finished.add(done);
      }
    };
    DivergedException diverged = catchThrowableOfType(
        () -> new LocalTrainer(tooFast, SUBSET, listener).run(), DivergedException.class);
    // before: the run went on to step 50 and ended with loss NaN
    assertThat(diverged).isNotNull();
    assertThat(diverged.getMessage()).isEqualTo(
        "diverged at step " + diverged.step() + " (loss " + diverged.loss()
            + "): try a smaller --lr");
    assertThat(finished).hasSize((int) diverged.step() - 1);
  }
}
