package dev.backstream.common.protocol;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Encodes {@link StepFrame}s, {@link GradientFrame}s and {@link CheckpointFrame}s to binary
 * frames and decodes them back, bit for bit, signed and checked with a {@link RunKey} when the run
 * has one. The layout is described in the package documentation.
 *
 * <p>{@link #decode(byte[])} never throws: any bytes give a {@link Decoded}, and a frame that fails
 * a check is {@link Rejected} with a {@link RejectReason}. Encoding throws
 * {@link IllegalArgumentException} only for frames that cannot be represented (a string over
 * 65,535 UTF-8 bytes or with an unpaired surrogate, a frame over {@link #MAX_FRAME_BYTES}).
 * Stateless and thread-safe.
 */
public final class FrameCodec {
  /** A step's spec in UTF-8 JSON, written once per spec; the bytes are only ever copied. */
  private static final LastValue<RunSpec, byte[]> SPEC_JSON =
      new LastValue<>(spec -> utf8("spec", spec.toJson()));

  /**
   * The frame format version this build writes. It reads this one and, for gradients and
   * checkpoints, whose layout it did not change, version 1 (a compacted checkpoints topic keeps
   * frames of older builds); a step frame of version 1, which carried no {@link RunSpec}, is
   * refused.
   */
  public static final int VERSION = 2;

  /** The oldest version read, for gradients and checkpoints. */
  static final int OLDEST_VERSION = 1;

  /** The epoch's loss sum and sample count at a checkpoint's end. */
  static final int CHECKPOINT_SUMS_BYTES = 16;

  /**
   * The largest frame accepted, in bytes: 8 MiB less 64 KiB, so a frame plus Kafka's record and
   * batch overhead fits the 8 MiB message limit our topics and clients are configured with.
   */
  public static final int MAX_FRAME_BYTES = 8 * 1024 * 1024 - 64 * 1024;

  /** The element type code of IEEE 754 binary64. */
  static final int DTYPE_FLOAT64 = 1;

  /**
   * The element type code of IEEE 754 binary64 with the blocks of {@link ValueBlocks#BLOCK}
   * values whose bits are all zero (+0.0, never -0.0) left out: a gradient's rows of W1 for
   * pixels that no image of the shard lit are exactly zero, about a third of a 2-shard sum.
   */
  static final int DTYPE_FLOAT64_BLOCKS = 2;

  /** The element type code of IEEE 754 binary32: a float32 run's steps and gradients. */
  static final int DTYPE_FLOAT32 = 3;

  /**
   * {@link #DTYPE_FLOAT32} with the blocks of {@link ValueBlocks#BLOCK} values that are all +0.0
   * left out.
   */
  static final int DTYPE_FLOAT32_BLOCKS = 4;

  /**
   * The element type code of IEEE 754 binary64 in a step frame with the blocks of
   * {@link ValueBlocks#BLOCK} values that are the same bits as the previous step's left out: the
   * W1 rows of pixels that no image of the previous batch lit did not change.
   */
  static final int DTYPE_FLOAT64_CHANGES = 5;

  /** {@link #DTYPE_FLOAT64_CHANGES} with binary32 values. */
  static final int DTYPE_FLOAT32_CHANGES = 6;

  static final int KIND_STEP = 1;
  static final int KIND_GRADIENT = 2;
  static final int KIND_CHECKPOINT = 3;

  /** Flag bit 0: an HMAC-SHA256 tag of the bytes before it follows the fields. */
  static final int FLAG_TAG = 1;

  static final byte[] MAGIC = {'B', 'S', 'T', 'F'};
  static final int HEADER_BYTES = 7;
  static final int CRC_BYTES = 4;

  private FrameCodec() {}

  /**
   * Encodes a step frame.
   *
   * @param frame the frame; not modified
   * @return a new array holding the frame
   * @throws IllegalArgumentException if a string or the frame is too large, or a string is not
   *     valid UTF-16
   */
  public static byte[] encode(StepFrame frame) {
    return encode(frame, RunKey.NONE);
  }

  /**
   * Encodes a step frame, signed with {@code key} if it is present.
   *
   * @throws IllegalArgumentException as {@link #encode(StepFrame)}
   */
  public static byte[] encode(StepFrame frame, RunKey key) {
    byte[] run = utf8("run", frame.run());
    byte[] spec = SPEC_JSON.get(frame.spec());
    String[] ownerNames = frame.shardOwners();
    byte[][] owners = new byte[ownerNames.length][];
    long size = HEADER_BYTES + 2L + run.length + 8 + 8 + 2L + spec.length + 4;
    for (int k = 0; k < owners.length; k++) {
      owners[k] = utf8("shardOwners[" + k + "]", ownerNames[k]);
      size += 2L + owners[k].length;
    }
    int[] batch = frame.batchIndices();
    size += 4 + 4L * batch.length;
    FlatVector params = frame.paramsShared();
    boolean[] changed = frame.changedBlocks();
    size += (changed == null
        ? denseBytes(params.length(), params.dtype())
        : blockBytes(params.length(), ValueBlocks.values(changed, params.length()), params.dtype()))
        + CRC_BYTES;

    ByteBuffer buf = allocate(size, key);
    putHeader(buf, KIND_STEP, key);
    putString(buf, run);
    buf.putLong(frame.generation()).putLong(frame.step());
    putString(buf, spec);
    buf.putInt(owners.length);
    for (byte[] owner : owners) {
      putString(buf, owner);
    }
    buf.putInt(batch.length);
    buf.asIntBuffer().put(batch);
    buf.position(buf.position() + 4 * batch.length);
    if (changed == null) {
      putValues(buf, params);
    } else {
      putBlocks(buf, params, changed, true);
    }
    return finish(buf, key);
  }

  /**
   * Encodes a gradient frame.
   *
   * @param frame the frame; not modified
   * @return a new array holding the frame
   * @throws IllegalArgumentException if a string or the frame is too large, or a string is not
   *     valid UTF-16
   */
  public static byte[] encode(GradientFrame frame) {
    return encode(frame, RunKey.NONE);
  }

  /**
   * Encodes a gradient frame, signed with {@code key} if it is present.
   *
   * @throws IllegalArgumentException as {@link #encode(GradientFrame)}
   */
  public static byte[] encode(GradientFrame frame, RunKey key) {
    byte[] run = utf8("run", frame.run());
    byte[] sender = utf8("sender", frame.sender());
    FlatVector gradient = frame.gradientSumShared();
    Dtype dtype = gradient.dtype();
    boolean[] present = ValueBlocks.differing(gradient, null);
    long dense = denseBytes(gradient.length(), dtype);
    long blocks =
        blockBytes(gradient.length(), ValueBlocks.values(present, gradient.length()), dtype);
    long size = HEADER_BYTES + 2L + run.length + 8 + 8 + 4 + 4 + 2L + sender.length + 4 + 8 + 4
        + Math.min(dense, blocks) + CRC_BYTES;

    ByteBuffer buf = allocate(size, key);
    putHeader(buf, KIND_GRADIENT, key);
    putString(buf, run);
    buf.putLong(frame.generation()).putLong(frame.step())
        .putInt(frame.firstShard()).putInt(frame.shardCount());
    putString(buf, sender);
    buf.putInt(frame.sampleCount()).putDouble(frame.lossSum()).putInt(frame.correctCount());
    if (blocks < dense) {
      putBlocks(buf, gradient, present, false);
    } else {
      putValues(buf, gradient);
    }
    return finish(buf, key);
  }

  /**
   * Encodes a checkpoint frame, signed with {@code key} if it is present.
   *
   * @throws IllegalArgumentException if a string or the frame is too large
   */
  public static byte[] encode(CheckpointFrame frame, RunKey key) {
    byte[] run = utf8("run", frame.run());
    byte[] settings = utf8("settings", frame.settings());
    DoubleBuffer params = frame.paramsView();
    boolean carried = frame.epochSamples() != CheckpointFrame.NOT_CARRIED;
    long size = HEADER_BYTES + 2L + run.length + 8 + 8 + 2 + settings.length
        + 1 + 4 + 8L * params.remaining() + (carried ? CHECKPOINT_SUMS_BYTES : 0) + CRC_BYTES;

    ByteBuffer buf = allocate(size, key);
    putHeader(buf, KIND_CHECKPOINT, key);
    putString(buf, run);
    buf.putLong(frame.generation()).putLong(frame.step());
    putString(buf, settings);
    putDoubles(buf, params);
    if (carried) {
      // after the parameters, so a frame of an older build (without them) still reads
      buf.putDouble(frame.epochLossSum()).putLong(frame.epochSamples());
    }
    return finish(buf, key);
  }

  /**
   * Decodes a frame; never throws.
   *
   * @param bytes the frame, possibly null (a Kafka tombstone), corrupt or hostile; not modified
   * @return the frame, or why it was rejected
   */
  public static Decoded decode(byte[] bytes) {
    return FrameReader.decode(bytes, RunKey.NONE);
  }

  /**
   * Decodes a frame and, if {@code key} is present, checks its tag; never throws. With a key, a
   * frame without a tag or with a wrong one is {@link RejectReason#BAD_TAG}; without a key, tags
   * are skipped unchecked.
   *
   * @param bytes the frame, possibly null, corrupt or hostile; not modified
   * @param key the run's key, or {@link RunKey#NONE}
   * @return the frame, or why it was rejected
   */
  public static Decoded decode(byte[] bytes, RunKey key) {
    return FrameReader.decode(bytes, key);
  }

  private static ByteBuffer allocate(long size, RunKey key) {
    if (key.isPresent()) {
      size += RunKey.TAG_BYTES;
    }
    if (size > MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("Frame of " + size + " bytes exceeds the limit of "
          + MAX_FRAME_BYTES + " bytes: use fewer parameters or a larger limit");
    }
    return ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void putHeader(ByteBuffer buf, int kind, RunKey key) {
    buf.put(MAGIC).put((byte) VERSION).put((byte) kind).put((byte) (key.isPresent() ? FLAG_TAG : 0));
  }

  private static void putString(ByteBuffer buf, byte[] utf8) {
    buf.putShort((short) utf8.length).put(utf8);
  }

  private static void putDoubles(ByteBuffer buf, DoubleBuffer values) {
    int n = values.remaining();
    buf.put((byte) DTYPE_FLOAT64).putInt(n);
    // The view inherits little-endian order; the bulk put copies raw IEEE bits, NaN payloads too.
    buf.asDoubleBuffer().put(values);
    buf.position(buf.position() + 8 * n);
  }

  /** Writes the values in their own number type: dtype 1, or 3 for float32, count and values. */
  private static void putValues(ByteBuffer buf, FlatVector values) {
    if (values.dtype() == Dtype.FLOAT64) {
      putDoubles(buf, DoubleBuffer.wrap(values.doubles()));
      return;
    }
    buf.put((byte) DTYPE_FLOAT32).putInt(values.length());
    putRun(buf, values, 0, values.length());
  }

  /** Writes {@code values[from, to)} in one bulk put, raw IEEE bits in the vector's type. */
  private static void putRun(ByteBuffer buf, FlatVector values, int from, int to) {
    int n = to - from;
    if (values.dtype() == Dtype.FLOAT64) {
      buf.asDoubleBuffer().put(values.doubles(), from, n);
      buf.position(buf.position() + Double.BYTES * n);
    } else {
      buf.asFloatBuffer().put(values.floats(), from, n);
      buf.position(buf.position() + Float.BYTES * n);
    }
  }

  private static long denseBytes(int n, Dtype dtype) {
    return 1 + 4 + (long) dtype.bytes() * n;
  }

  private static long blockBytes(int n, int presentValues, Dtype dtype) {
    return 1 + 4 + (ValueBlocks.count(n) + 7) / 8 + (long) dtype.bytes() * presentValues;
  }

  /**
   * The values in blocks with a value whose bits are not all zero (-0.0 counts as present), the
   * last block counted with its own length.
   */
  static int presentValues(double[] values) {
    return ValueBlocks.values(ValueBlocks.differing(FlatVector.wrap(values), null), values.length);
  }

  /**
   * Writes dtype 2, or 4 for float32 (5 and 6 where the blocks left out are the previous step's):
   * count, the bitmap of present blocks (bit b % 8 of byte b / 8), their values; each run of
   * consecutive present blocks is copied in one bulk put.
   */
  private static void putBlocks(ByteBuffer buf, FlatVector values, boolean[] present,
      boolean changes) {
    int n = values.length();
    boolean float64 = values.dtype() == Dtype.FLOAT64;
    int dtype = changes
        ? (float64 ? DTYPE_FLOAT64_CHANGES : DTYPE_FLOAT32_CHANGES)
        : (float64 ? DTYPE_FLOAT64_BLOCKS : DTYPE_FLOAT32_BLOCKS);
    buf.put((byte) dtype).putInt(n);
    byte[] bits = new byte[(present.length + 7) / 8];
    for (int b = 0; b < present.length; b++) {
      if (present[b]) {
        bits[b >>> 3] |= (byte) (1 << (b & 7));
      }
    }
    buf.put(bits);
    ValueBlocks.forEachRun(present, n, (from, to) -> putRun(buf, values, from, to));
  }

  private static byte[] finish(ByteBuffer buf, RunKey key) {
    byte[] out = buf.array();
    if (key.isPresent()) {
      buf.put(key.tag(out, buf.position()));
    }
    buf.putInt((int) crc32c(out, buf.position()));
    assert !buf.hasRemaining() : "frame size miscomputed";
    return out;
  }

  static long crc32c(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return crc.getValue();
  }

  private static byte[] utf8(String field, String s) {
    ByteBuffer encoded;
    try {
      // A strict encoder: getBytes would silently turn an unpaired surrogate into '?'.
      encoded = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(field + " is not valid UTF-16 (unpaired surrogate)", e);
    }
    if (encoded.remaining() > 0xFFFF) {
      throw new IllegalArgumentException(field + " has " + encoded.remaining()
          + " UTF-8 bytes: must be at most 65535");
    }
    byte[] out = new byte[encoded.remaining()];
    encoded.get(out);
    return out;
  }
}
