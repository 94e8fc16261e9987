package dev.backstream.common.protocol;

/**
 * What a receiver makes of a decoded frame once it has checked it against what it knows (its run,
 * generation and step, its data, the sums it keeps): {@link #ADMITTED}, or one {@link Rejected}
 * reason to count. Decoding ({@link FrameCodec}) checks the bytes; an admission checks the frame's
 * meaning for the receiver, so that every refusal, of either kind, is one {@link RejectReason}.
 */
public sealed interface Admission permits Admission.Admitted, Rejected {

  /** The frame may be used. */
  Admission ADMITTED = Admitted.INSTANCE;

  /** The one value of an admitted frame. */
  enum Admitted implements Admission { INSTANCE }

  /**
   * A rejection for {@code reason}.
   *
   * @param detail one line for a log: the offending value and what was expected
   */
  static Admission rejected(RejectReason reason, String detail) {
    return new Rejected(reason, detail);
  }
}
