/**
 * The wire protocol: topic names, binary tensor frames and JSON records.
 *
 * <h2>Binary frames</h2>
 *
 * <p>Parameters and gradients travel as binary frames, little-endian throughout:
 *
 * <pre>
 * offset  size  field
 *      0     4  magic "BSTF" (0x42 0x53 0x54 0x46)
 *      4     1  version (u8) = 2 (1 still read for gradients and checkpoints, whose layout
 *               version 2 kept; a version 1 step frame carried no spec and is refused)
 *      5     1  kind (u8): 1 step, 2 gradient, 3 checkpoint
 *      6     1  flags (u8): bit 0 set when an HMAC tag follows the fields; others must be 0
 *      7     .  fields of the kind, below
 *   n-36    32  (flag bit 0 only) HMAC-SHA256 under the run key of bytes [0, n-36)
 *    n-4     4  CRC32C (u32) of bytes [0, n-4)
 *
 * step:      run str, generation i64, step i64, spec str (the run's RunSpec as compact JSON,
 *            about 200 bytes), shardCount i32 (= the spec's shards), shardCount x owner str,
 *            batch count i32, count x index i32, params f64s (of the spec's dtype)
 * gradient:  run str, generation i64, step i64, firstShard i32, shardCount i32, sender str,
 *            sampleCount i32, lossSum f64, correctCount i32, gradientSum f64s
 * checkpoint: run str, generation i64, step i64, settings str (JSON), params f64s, then
 *             epochLossSum f64, epochSamples i64 (absent in frames of older builds)
 *
 * str:   length u16, then that many bytes of UTF-8
 * f64s:  dtype u8, then
 *          1 (float64): count i32, then count raw IEEE 754 binary64 values
 *          2 (float64, zero blocks left out; gradients only): count i32, a bitmap of
 *            ceil(ceil(count / 8) / 8) bytes (bit b % 8 of byte b / 8 set when block b is
 *            present), then the values of the present blocks of 8 (the last block may be
 *            shorter), in order; every value of a block left out is +0.0
 *          3 (float32): count i32, then count raw IEEE 754 binary32 values
 *          4 (float32, zero blocks left out; gradients only): as 2, with binary32 values
 *          5 (float64, a step's changes; steps only): as 2, but a block left out holds the
 *            values of the previous step's parameters (same run and generation, step - 1)
 *          6 (float32, a step's changes; steps only): as 5, with binary32 values
 * </pre>
 *
 * <p>A run of {@code --dtype float32} sends its steps and gradients as dtypes 3 and 4, half the
 * bytes; the decoder widens them to doubles (exactly), refuses a step whose values are not of its
 * spec's dtype, and the spec's dtype tells the workers which kernel to run. Checkpoints stay dtype 1 (their values are floats all the same).
 *
 * <p>A gradient frame takes dtype 2 when it is shorter: a block is left out only if all its
 * values have the bits of +0.0 (a -0.0 keeps its block), so the decoded sum is the same bits. A
 * W1 row of a pixel that no image of the node lit is exactly zero: a 2-shard sum of 50 MNIST
 * images leaves out about 38% of the rows and its frame is about 63% of the dense one.
 *
 * <p>A step frame takes dtype 5 (or 6) when the coordinator published the step before to the same
 * live workers: it carries the blocks whose bits changed in that step (a -0.0 replacing a +0.0 is
 * a change), and a worker completes it from the previous step's complete frame; one that lacks it
 * skips the frame. The first step of a generation, every 100th step, the step after the live
 * workers changed and every step handed out again after its deadline carry dtype 1 (or 3), all
 * the parameters. A batch of 100 MNIST images leaves about a third of W1's rows unchanged, so
 * such a frame is about 67% of the complete one (62 to 71%).
 *
 * <p>Doubles are written as their raw bits, so every value, {@code -0.0} and subnormals included,
 * round-trips bit for bit. A step frame of the book's network (39,760 parameters, batch 100) is
 * about 318 KB. The decoder checks, in order: size, magic, version, CRC, kind, flags, then each
 * field; the first failure gives the {@link dev.backstream.common.protocol.RejectReason}. A
 * process started with a run key ({@link dev.backstream.common.protocol.RunKey}) also requires the
 * tag and checks it, after the CRC and before any field is read; one without a key skips tags. Every
 * declared count must fit the bytes that follow and the fields must end exactly at the CRC.
 *
 * <h2>JSON records</h2>
 *
 * <p>What a person or {@code kafka-console-consumer} reads is JSON, one object per record:
 * metrics ({@link dev.backstream.common.protocol.MetricsLine}: run, loss and epoch lines, told apart
 * by their {@code "type"}) and heartbeats. Readers ignore unknown fields so
 * writers can add some.
 */
package dev.backstream.common.protocol;
