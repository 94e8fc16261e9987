package dev.backstream.common.protocol;

/**
 * Why a frame was rejected rather than applied.
 *
 * <p>The codec produces the reasons up to {@link #NON_FINITE}; the coordinator and the workers
 * apply the rest, which need the run's state. They share one enum so the metrics count every
 * rejection in one table. New reasons are appended; the names appear in JSON metrics, so a name
 * is never reused for another meaning.
 */
public enum RejectReason {
  /** Fewer bytes than the fixed header and CRC, or a fixed-width field runs past the end. */
  TRUNCATED,
  /** The first four bytes are not {@code BSTF}: not a backstream frame. */
  BAD_MAGIC,
  /** A frame version this build does not read. */
  BAD_VERSION,
  /** A kind other than step, gradient or checkpoint, or a kind on a topic that does not carry it. */
  BAD_KIND,
  /** Flag bits this version does not define. */
  BAD_FLAGS,
  /** The CRC32C over the frame does not match its last four bytes. */
  BAD_CRC,
  /** A declared size disagrees with the bytes: negative, too large, past the end, or trailing bytes. */
  BAD_LENGTH,
  /** An element type other than float64. */
  BAD_DTYPE,
  /** A field outside its domain: negative step or count, correct above sample count, bad UTF-8. */
  BAD_VALUE,
  /** A NaN or infinity in the parameters, the gradient or the loss sum. */
  NON_FINITE,
  /** A frame of another run. */
  WRONG_RUN,
  /** A frame of an older coordinator generation. */
  STALE_GENERATION,
  /** A frame of a step that is over, or not yet begun. */
  STALE_STEP,
  /** A shard index outside the step's shard plan. */
  BAD_SHARD,
  /** A second valid gradient for a (step, shard) that already has one. */
  DUPLICATE,
  /** An authentication tag that is missing, wrong, or that this build cannot check. */
  BAD_TAG,
  /**
   * A step whose run spec does not fit the worker's data: another dataset, a network for images
   * of another size, or batch indices beyond its training set.
   */
  WRONG_SPEC
}
