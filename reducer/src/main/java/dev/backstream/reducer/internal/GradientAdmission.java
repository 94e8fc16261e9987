package dev.backstream.reducer.internal;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.training.ShardSpan;
import dev.backstream.common.training.ShardTree;
import java.util.Optional;

/**
 * The checks a gradient frame of the open step must pass before a reducer keeps it, the
 * coordinator's own rules narrowed to one subtree: a node of the run's tree lying inside the
 * subtree, the run's parameter count and number type. (Run, generation and step are the
 * reducer's to follow; the CRC and the run key's tag were checked when the frame was decoded.)
 * Kept apart so that it can give way to a shared admission of gradient frames in {@code common}.
 *
 * @param tree the run's reduction tree
 * @param subtree the subtree this reducer adds up
 * @param parameters the run's parameter count
 * @param dtype the run's number type
 */
record GradientAdmission(ShardTree tree, ShardSpan subtree, int parameters, Dtype dtype) {

  /** Why {@code f} may not be kept, to be counted; empty if it may. */
  Optional<Decoded.Rejected> problem(GradientFrame f) {
    ShardSpan span;
    try {
      span = new ShardSpan(f.firstShard(), f.shardCount());
    } catch (IllegalArgumentException e) {
      return refuse(RejectReason.BAD_SHARD, e.getMessage());
    }
    if (!tree.isNode(span) || !subtree.contains(span)) {
      return refuse(RejectReason.BAD_SHARD, span + " is not a node inside " + subtree);
    }
    if (f.gradientSumView().remaining() != parameters) {
      return refuse(RejectReason.BAD_LENGTH,
          f.gradientSumView().remaining() + " values, expected " + parameters);
    }
    if (f.dtype() != dtype) {
      return refuse(RejectReason.BAD_DTYPE, f.dtype().id() + " gradient in a " + dtype.id() + " run");
    }
    return Optional.empty();
  }

  private static Optional<Decoded.Rejected> refuse(RejectReason reason, String detail) {
    return Optional.of(new Decoded.Rejected(reason, detail));
  }
}
