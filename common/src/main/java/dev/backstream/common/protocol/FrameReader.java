package dev.backstream.common.protocol;

import static dev.backstream.common.protocol.FrameCodec.CRC_BYTES;
import static dev.backstream.common.protocol.FrameCodec.DTYPE_FLOAT64;
import static dev.backstream.common.protocol.FrameCodec.DTYPE_FLOAT64_BLOCKS;
import static dev.backstream.common.protocol.FrameCodec.DTYPE_FLOAT32;
import static dev.backstream.common.protocol.FrameCodec.DTYPE_FLOAT32_BLOCKS;
import static dev.backstream.common.protocol.FrameCodec.DTYPE_FLOAT32_CHANGES;
import static dev.backstream.common.protocol.FrameCodec.DTYPE_FLOAT64_CHANGES;
import static dev.backstream.common.protocol.ValueBlocks.BLOCK;
import static dev.backstream.common.protocol.FrameCodec.FLAG_TAG;
import static dev.backstream.common.protocol.FrameCodec.HEADER_BYTES;
import static dev.backstream.common.protocol.FrameCodec.KIND_CHECKPOINT;
import static dev.backstream.common.protocol.FrameCodec.KIND_GRADIENT;
import static dev.backstream.common.protocol.FrameCodec.KIND_STEP;
import static dev.backstream.common.protocol.FrameCodec.MAGIC;
import static dev.backstream.common.protocol.FrameCodec.MAX_FRAME_BYTES;
import static dev.backstream.common.protocol.FrameCodec.OLDEST_VERSION;
import static dev.backstream.common.protocol.FrameCodec.VERSION;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The decoding half of {@link FrameCodec}: checks in a fixed order, so the reason a corrupt frame
 * gets is predictable (length, magic, version, CRC, kind, flags, then the fields in order).
 */
final class FrameReader {

  /** Carries a rejection out of nested reads; no stack trace, it is control flow. */
  private static final class Reject extends Exception {
    final RejectReason reason;

    Reject(RejectReason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }

  /** A step's spec JSON parsed, once per spec rather than once per step. */
  private static final LastValue<String, RunSpec> SPECS = new LastValue<>(RunSpec::fromJson);

  private final ByteBuffer buf;

  private FrameReader(ByteBuffer buf) {
    this.buf = buf;
  }

  static Decoded decode(byte[] bytes, RunKey key) {
    try {
      ByteBuffer buf = checkEnvelope(bytes, key);
      FrameReader reader = new FrameReader(buf);
      return switch (Byte.toUnsignedInt(bytes[5])) {
        case KIND_STEP -> new Decoded.Step(reader.step());
        case KIND_GRADIENT -> new Decoded.Gradient(reader.gradient());
        default -> new Decoded.Checkpoint(reader.checkpoint());
      };
    } catch (Reject r) {
      return new Rejected(r.reason, r.getMessage());
    }
  }

  /**
   * Makes a value (a frame, the spec) from fields read, its constructor's or parser's refusal (a
   * negative step, an owner count off the spec's shards, a spec that is not one) as
   * {@link RejectReason#BAD_VALUE}: the one place a refused value becomes a rejection.
   */
  private static <T> T made(Supplier<T> value) throws Reject {
    try {
      return value.get();
    } catch (IllegalArgumentException | MalformedJsonException e) {
      throw new Reject(RejectReason.BAD_VALUE, e.getMessage());
    }
  }

  /** Checks what surrounds the fields and returns a buffer positioned on the first field. */
  private static ByteBuffer checkEnvelope(byte[] bytes, RunKey key) throws Reject {
    if (bytes == null) {
      throw new Reject(RejectReason.TRUNCATED, "no bytes (a null record value)");
    }
    if (bytes.length < HEADER_BYTES + CRC_BYTES) {
      throw new Reject(RejectReason.TRUNCATED, bytes.length + " bytes: a frame has at least "
          + (HEADER_BYTES + CRC_BYTES));
    }
    if (bytes.length > MAX_FRAME_BYTES) {
      throw new Reject(RejectReason.BAD_LENGTH, bytes.length + " bytes: at most "
          + MAX_FRAME_BYTES + " allowed");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new Reject(RejectReason.BAD_MAGIC, "not a backstream frame (magic is not BSTF)");
      }
    }
    int version = Byte.toUnsignedInt(bytes[4]);
    if (version < OLDEST_VERSION || version > VERSION) {
      throw new Reject(RejectReason.BAD_VERSION, "version " + version + ": this build reads "
          + OLDEST_VERSION + " to " + VERSION);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int body = bytes.length - CRC_BYTES;
    long stored = Integer.toUnsignedLong(buf.getInt(body));
    long actual = FrameCodec.crc32c(bytes, body);
    if (stored != actual) {
      throw new Reject(RejectReason.BAD_CRC, String.format(
          "CRC32C is %08x, frame says %08x", actual, stored));
    }
    int kind = Byte.toUnsignedInt(bytes[5]);
    if (kind != KIND_STEP && kind != KIND_GRADIENT && kind != KIND_CHECKPOINT) {
      throw new Reject(RejectReason.BAD_KIND,
          "kind " + kind + ": expected 1 (step), 2 (gradient) or 3 (checkpoint)");
    }
    if (kind == KIND_STEP && version < VERSION) {
      throw new Reject(RejectReason.BAD_VERSION, "a step frame of version " + version
          + ", without the run's spec: this build reads step frames of version " + VERSION);
    }
    int flags = Byte.toUnsignedInt(bytes[6]);
    if ((flags & ~FLAG_TAG) != 0) {
      throw new Reject(RejectReason.BAD_FLAGS, String.format(
          "flags 0x%02x: version 1 defines only bit 0 (HMAC tag)", flags));
    }
    boolean tagged = (flags & FLAG_TAG) != 0;
    if (key.isPresent() && !tagged) {
      throw new Reject(RejectReason.BAD_TAG, "an unsigned frame: this run requires an HMAC tag"
          + " under its run key");
    }
    if (tagged) {
      body -= RunKey.TAG_BYTES;
      if (body < HEADER_BYTES) {
        throw new Reject(RejectReason.TRUNCATED, bytes.length + " bytes: a signed frame has at least "
            + (HEADER_BYTES + RunKey.TAG_BYTES + CRC_BYTES));
      }
      if (key.isPresent() && !key.verify(bytes, body)) {
        throw new Reject(RejectReason.BAD_TAG, "the HMAC tag does not match the run key");
      }
    }
    return buf.position(HEADER_BYTES).limit(body);
  }

  private StepFrame step() throws Reject {
    String run = string("run");
    long generation = i64("generation");
    long step = i64("step");
    String specJson = string("spec");
    RunSpec spec = made(() -> SPECS.get(specJson));
    int shardCount = count("shardOwners", 2);
    String[] owners = new String[shardCount];
    for (int k = 0; k < shardCount; k++) {
      owners[k] = string("shardOwners[" + k + "]");
    }
    int batchSize = count("batchIndices", 4);
    int[] batch = new int[batchSize];
    buf.asIntBuffer().get(batch);
    buf.position(buf.position() + 4 * batchSize);
    Values read = values("params", true);
    FlatVector params = read.values();
    end();
    if (params.dtype() != spec.dtype()) {
      throw new Reject(RejectReason.BAD_DTYPE, "params are " + params.dtype().id()
          + " in a step of a " + spec.dtype().id() + " run");
    }
    return made(() -> StepFrame.handingOver(run, generation, step, spec, params, batch, owners,
        read.changedBlocks()));
  }

  private GradientFrame gradient() throws Reject {
    String run = string("run");
    long generation = i64("generation");
    long step = i64("step");
    int firstShard = i32("firstShard");
    int shardCount = i32("shardCount");
    if (firstShard < 0 || shardCount < 1) {
      throw new Reject(RejectReason.BAD_SHARD,
          "shards " + firstShard + "+" + shardCount + ": first must be at least 0, count at least 1");
    }
    String sender = string("sender");
    int sampleCount = i32("sampleCount");
    double lossSum = f64("lossSum");
    if (!Double.isFinite(lossSum)) {
      throw new Reject(RejectReason.NON_FINITE, "lossSum is " + lossSum);
    }
    int correctCount = i32("correctCount");
    FlatVector gradient = finiteValues("gradientSum");
    end();
    return made(() -> GradientFrame.handingOver(run, generation, step, firstShard, shardCount,
        sender, sampleCount, lossSum, correctCount, gradient));
  }

  private CheckpointFrame checkpoint() throws Reject {
    String run = string("run");
    long generation = i64("generation");
    long step = i64("step");
    String settings = string("settings");
    // any dtype reads, widened (exact); this build writes checkpoints as float64
    double[] params = finiteValues("params").toDoubles();
    double epochLossSum = 0;
    long epochSamples = CheckpointFrame.NOT_CARRIED;
    if (buf.remaining() == FrameCodec.CHECKPOINT_SUMS_BYTES) {
      // absent in checkpoints of older builds: they are read without them
      epochLossSum = f64("epochLossSum");
      epochSamples = i64("epochSamples");
      if (!Double.isFinite(epochLossSum)) {
        throw new Reject(RejectReason.NON_FINITE, "epochLossSum is " + epochLossSum);
      }
      if (epochSamples < 0) {
        throw new Reject(RejectReason.BAD_VALUE, "epochSamples " + epochSamples + " is negative");
      }
    }
    end();
    double lossSum = epochLossSum;
    long samples = epochSamples;
    return made(() -> new CheckpointFrame(run, generation, step, settings, params, lossSum,
        samples));
  }

  private void need(String field, int bytes) throws Reject {
    if (buf.remaining() < bytes) {
      throw new Reject(RejectReason.TRUNCATED, field + " needs " + bytes + " bytes, "
          + buf.remaining() + " left");
    }
  }

  private int i32(String field) throws Reject {
    need(field, 4);
    return buf.getInt();
  }

  private long i64(String field) throws Reject {
    need(field, 8);
    return buf.getLong();
  }

  private double f64(String field) throws Reject {
    need(field, 8);
    return buf.getDouble();
  }

  /** Reads an element count and checks the elements, at least {@code minBytes} each, fit. */
  private int count(String field, int minBytes) throws Reject {
    int n = i32(field + " count");
    if (n < 0 || (long) n * minBytes > buf.remaining()) {
      throw new Reject(RejectReason.BAD_LENGTH, field + " count " + n + " does not fit the "
          + buf.remaining() + " bytes left");
    }
    return n;
  }

  private String string(String field) throws Reject {
    if (buf.remaining() < 2) {
      // named only when short: a frame reads several strings
      need(field + " length", 2);
    }
    int length = Short.toUnsignedInt(buf.getShort());
    if (length > buf.remaining()) {
      throw new Reject(RejectReason.BAD_LENGTH, field + " length " + length + " does not fit the "
          + buf.remaining() + " bytes left");
    }
    ByteBuffer slice = buf.slice().limit(length);
    buf.position(buf.position() + length);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(slice)
          .toString();
    } catch (CharacterCodingException e) {
      throw new Reject(RejectReason.BAD_VALUE, field + " is not valid UTF-8");
    }
  }

  /** A vector read and, of a step's changes only, the blocks present (null: all are). */
  private record Values(FlatVector values, boolean[] changedBlocks) {}

  /** Reads a vector of any dtype but a step's changes, in its own number type. */
  private FlatVector finiteValues(String field) throws Reject {
    return values(field, false).values();
  }

  /**
   * Reads a vector of any dtype, in its own number type: a float32 one as floats.
   *
   * @param changes whether dtypes 5 and 6 (a step's changes since the previous step) may come
   */
  private Values values(String field, boolean changes) throws Reject {
    need(field + " dtype", 1);
    int dtype = Byte.toUnsignedInt(buf.get());
    int highest = changes ? DTYPE_FLOAT32_CHANGES : DTYPE_FLOAT32_BLOCKS;
    if (dtype < DTYPE_FLOAT64 || dtype > highest) {
      throw new Reject(RejectReason.BAD_DTYPE, field + " dtype " + dtype + ": expected "
          + DTYPE_FLOAT64 + " (float64), " + DTYPE_FLOAT64_BLOCKS
          + " (float64, zero blocks left out), " + DTYPE_FLOAT32 + " (float32) or "
          + DTYPE_FLOAT32_BLOCKS + " (float32, zero blocks left out)"
          + (changes ? ", or a step's changes: " + DTYPE_FLOAT64_CHANGES + " (float64) or "
              + DTYPE_FLOAT32_CHANGES + " (float32)" : ""));
    }
    boolean float32 = dtype == DTYPE_FLOAT32 || dtype == DTYPE_FLOAT32_BLOCKS
        || dtype == DTYPE_FLOAT32_CHANGES;
    Dtype type = float32 ? Dtype.FLOAT32 : Dtype.FLOAT64;
    if (dtype == DTYPE_FLOAT64_CHANGES || dtype == DTYPE_FLOAT32_CHANGES) {
      return blockValues(field, type);
    }
    if (dtype == DTYPE_FLOAT64_BLOCKS || dtype == DTYPE_FLOAT32_BLOCKS) {
      return new Values(blockValues(field, type).values(), null);
    }
    int n = count(field, type.bytes());
    FlatVector values = FlatVector.zeros(type, n);
    readRun(field, values, 0, n);
    return new Values(values, null);
  }

  /**
   * Reads {@code values[from, to)} from the buffer's position on in one bulk get, in the vector's
   * number type, and checks that each is finite.
   */
  private void readRun(String field, FlatVector values, int from, int to) throws Reject {
    int n = to - from;
    if (values.dtype() == Dtype.FLOAT64) {
      double[] doubles = values.doubles();
      buf.asDoubleBuffer().get(doubles, from, n);
      buf.position(buf.position() + Double.BYTES * n);
      for (int i = from; i < to; i++) {
        if (!Double.isFinite(doubles[i])) {
          throw nonFinite(field, i, doubles[i]);
        }
      }
    } else {
      float[] floats = values.floats();
      buf.asFloatBuffer().get(floats, from, n);
      buf.position(buf.position() + Float.BYTES * n);
      for (int i = from; i < to; i++) {
        if (!Float.isFinite(floats[i])) {
          throw nonFinite(field, i, floats[i]);
        }
      }
    }
  }

  private static Reject nonFinite(String field, int index, double value) {
    return new Reject(RejectReason.NON_FINITE, field + "[" + index + "] is " + value);
  }

  /**
   * Reads the values of dtypes 2, 4, 5 or 6: count, a bitmap of the blocks of
   * {@link ValueBlocks#BLOCK} values that are present, then those blocks' values of {@code bytes}
   * each; a block left out is all +0.0 here.
   */
  private Values blockValues(String field, Dtype type) throws Reject {
    int bytes = type.bytes();
    need(field + " count", 4);
    int n = buf.getInt();
    int blocks = (int) (((long) n + BLOCK - 1) / BLOCK);
    long bitmapBytes = ((long) blocks + 7) / 8;
    if (n < 0 || bitmapBytes > buf.remaining()) {
      throw new Reject(RejectReason.BAD_LENGTH, field + " count " + n + " does not fit the "
          + buf.remaining() + " bytes left");
    }
    int bitmap = buf.position();
    buf.position(bitmap + (int) bitmapBytes);
    long present = 0;
    for (int b = 0; b < blocks; b++) {
      if (bit(bitmap, b)) {
        present += Math.min(BLOCK, n - b * BLOCK);
      }
    }
    if (present * bytes > buf.remaining()) {
      throw new Reject(RejectReason.BAD_LENGTH, field + ": " + present + " values present do not"
          + " fit the " + buf.remaining() + " bytes left");
    }
    FlatVector values = FlatVector.zeros(type, n);
    boolean[] carried = new boolean[blocks];
    for (int b = 0; b < blocks; b++) {
      carried[b] = bit(bitmap, b);
    }
    ValueBlocks.forEachRun(carried, n, (from, to) -> readRun(field, values, from, to));
    return new Values(values, carried);
  }

  private boolean bit(int bitmap, int block) {
    return (buf.get(bitmap + (block >>> 3)) & (1 << (block & 7))) != 0;
  }

  private void end() throws Reject {
    if (buf.hasRemaining()) {
      throw new Reject(RejectReason.BAD_LENGTH, buf.remaining() + " trailing bytes after the fields");
    }
  }
}
