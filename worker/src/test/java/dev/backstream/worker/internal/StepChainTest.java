package dev.backstream.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import org.junit.jupiter.api.Test;

/** The poller completes each step's changes from the step before, or skips them. */
class StepChainTest {
  private static final RunSpec SPEC =
      new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 2, Activation.RELU, 0, 4, 0.01);
  private static final String[] OWNERS = {"a", "a", "b", "b"};

  private final StepChain chain = new StepChain();

  private static FlatVector params(double first) {
    double[] p = new double[20];
    p[0] = first;
    p[19] = 1.0;
    return FlatVector.wrap(p);
  }

  private static StepFrame complete(long generation, long step, FlatVector p) {
    return new StepFrame("run", generation, step, SPEC, p, new int[] {0, 1, 2, 3}, OWNERS);
  }

  private static StepFrame changes(long step, FlatVector p, FlatVector before) {
    return StepFrame.changedSince("run", 1, step, SPEC, p, before, new int[] {0, 1, 2, 3},
        OWNERS);
  }

  @Test
  void eachStepsChangesCompleteFromTheStepBefore() {
    assertThat(chain.complete(complete(1, 4, params(4))).orElseThrow().paramsShared())
        .isEqualTo(params(4));

    StepFrame five = chain.complete(changes(5, params(5), params(4))).orElseThrow();
    StepFrame six = chain.complete(changes(6, params(6), params(5))).orElseThrow();

    assertThat(five.complete()).isTrue();
    assertThat(five.paramsShared()).isEqualTo(params(5));
    assertThat(six.paramsShared()).isEqualTo(params(6));
  }

  @Test
  void changesSinceAStepNotReadAreSkippedUntilACompleteFrame() {
    assertThat(chain.complete(changes(5, params(5), params(4)))).isEmpty();
    chain.complete(complete(1, 4, params(4)));
    // step 5 was lost: 6's changes cannot be completed, and 7's neither
    assertThat(chain.complete(changes(6, params(6), params(5)))).isEmpty();
    assertThat(chain.complete(changes(7, params(7), params(6)))).isEmpty();

    assertThat(chain.complete(complete(1, 8, params(8)))).isPresent();
    assertThat(chain.complete(changes(9, params(9), params(8))).orElseThrow().paramsShared())
        .isEqualTo(params(9));
  }

  @Test
  void aNewGenerationsChangesNeedItsOwnCompleteFrame() {
    chain.complete(complete(1, 4, params(4)));

    StepFrame otherGeneration = StepFrame.changedSince("run", 2, 5, SPEC, params(5), params(4),
        new int[] {0, 1, 2, 3}, OWNERS);

    assertThat(chain.complete(otherGeneration)).isEmpty();
  }

  @Test
  void aReplayedOlderStepDoesNotCutTheChain() {
    chain.complete(complete(1, 4, params(4)));
    chain.complete(changes(5, params(5), params(4)));

    // a late copy of step 4 is passed on (the node refuses it as stale), and 6 still completes
    assertThat(chain.complete(complete(1, 4, params(4)))).isPresent();
    assertThat(chain.complete(changes(6, params(6), params(5))).orElseThrow().paramsShared())
        .isEqualTo(params(6));
  }
}
