package dev.backstream.common.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.Rejected;
import org.junit.jupiter.api.Test;

class GradientRulesTest {
  private final GradientRules rules = new GradientRules("r", 2, 3, Dtype.FLOAT64);
  private final StepRound round = new StepRound(7, new ShardTree(4));

  private static GradientFrame gradient(String run, long generation, long step, int first,
      int count, double[] sum) {
    return new GradientFrame(run, generation, step, first, count, "w", count, 1.0, 0, sum);
  }

  private static GradientFrame gradient(long step, int first, int count) {
    return gradient("r", 2, step, first, count, new double[3]);
  }

  private static RejectReason reason(Admission a) {
    return a instanceof Rejected r ? r.reason() : null;
  }

  @Test
  void aFrameOfThisRunAndStepThatFitsIsAdmittedAndKept() {
    assertThat(rules.admit(gradient(7, 0, 2), round)).isEqualTo(Admission.ADMITTED);
    assertThat(round.missingShards()).containsExactly(2, 3);
    assertThat(round.samples()).isEqualTo(2);
  }

  @Test
  void eachRuleHasItsReasonAndNothingRefusedIsKept() {
    assertThat(reason(rules.admit(gradient("other", 2, 7, 0, 1, new double[3]), round)))
        .isEqualTo(RejectReason.WRONG_RUN);
    assertThat(reason(rules.admit(gradient("r", 1, 7, 0, 1, new double[3]), round)))
        .isEqualTo(RejectReason.STALE_GENERATION);
    assertThat(reason(rules.admit(gradient("r", 2, 7, 0, 1, new double[4]), round)))
        .isEqualTo(RejectReason.BAD_LENGTH);
    GradientFrame float32 = GradientFrame.handingOver("r", 2, 7, 0, 1, "w", 1, 1.0, 0,
        FlatVector.float32(new float[3]));
    assertThat(reason(rules.admit(float32, round))).isEqualTo(RejectReason.BAD_DTYPE);
    assertThat(reason(rules.admit(gradient(6, 0, 1), round))).isEqualTo(RejectReason.STALE_STEP);
    assertThat(reason(rules.admit(gradient(7, 0, 1), null))).isEqualTo(RejectReason.STALE_STEP);
    assertThat(reason(rules.admit(gradient(7, 1, 2), round))).isEqualTo(RejectReason.BAD_SHARD);
    assertThat(reason(rules.admit(gradient(7, Integer.MAX_VALUE, 1), round)))
        .isEqualTo(RejectReason.BAD_SHARD);
    assertThat(round.missingShards()).containsExactly(0, 1, 2, 3);
    assertThat(rules.admit(gradient(7, 2, 2), round)).isEqualTo(Admission.ADMITTED);
    assertThat(reason(rules.admit(gradient(7, 3, 1), round))).isEqualTo(RejectReason.DUPLICATE);
  }

  @Test
  void ofRunLooksAtRunAndGenerationOnly() {
    assertThat(rules.ofRun(gradient("r", 2, 99, 0, 1, new double[1])))
        .isEqualTo(Admission.ADMITTED);
    assertThat(reason(rules.ofRun(gradient("r", 3, 7, 0, 1, new double[3]))))
        .isEqualTo(RejectReason.STALE_GENERATION);
  }
}
