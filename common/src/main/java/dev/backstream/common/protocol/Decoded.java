package dev.backstream.common.protocol;

import java.util.Objects;

/**
 * The outcome of {@link FrameCodec#decode(byte[], RunKey)}: a step, a gradient, a checkpoint, or
 * a {@link Rejected} frame.
 *
 * <p>Decoding never throws on bad bytes, so a receiver handles every outcome in one place and
 * counts rejections by {@link RejectReason}.
 */
public sealed interface Decoded
    permits Decoded.Step, Decoded.Gradient, Decoded.Checkpoint, Rejected {

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

}
