package dev.backstream.common.protocol;

import java.util.Objects;

/**
 * The outcome of {@link FrameCodec#decode(byte[], RunKey)}: a step, a gradient, a checkpoint, or
 * a rejection.
 *
 * <p>Decoding never throws on bad bytes, so a receiver handles every outcome in one place and
 * counts rejections by {@link RejectReason}.
 */
public sealed interface Decoded
    permits Decoded.Step, Decoded.Gradient, Decoded.Checkpoint, Decoded.Rejected {

  /**
   * A valid step frame.
   *
   * @param frame the decoded frame
   */
  record Step(StepFrame frame) implements Decoded {
    /** Requires a frame. */
    public Step {
      Objects.requireNonNull(frame, "frame");
    }
  }

  /**
   * A valid gradient frame.
   *
   * @param frame the decoded frame
   */
  record Gradient(GradientFrame frame) implements Decoded {
    /** Requires a frame. */
    public Gradient {
      Objects.requireNonNull(frame, "frame");
    }
  }

  /**
   * A valid checkpoint frame.
   *
   * @param frame the decoded frame
   */
  record Checkpoint(CheckpointFrame frame) implements Decoded {
    /** Requires a frame. */
    public Checkpoint {
      Objects.requireNonNull(frame, "frame");
    }
  }

  /**
   * A frame that failed a check; it must be counted and never applied.
   *
   * @param reason the failed check
   * @param detail one line for a log: the offending value and what was expected
   */
  record Rejected(RejectReason reason, String detail) implements Decoded {
    /** Requires a reason and a detail. */
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
