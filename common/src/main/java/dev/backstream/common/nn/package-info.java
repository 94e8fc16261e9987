/**
 * The network of the backpropagation chapter of "Deep Learning from Scratch": computational-graph
 * layers with forward and backward passes, and the two-layer network built from them.
 *
 * <p>Batch layers take and return EJML {@link org.ejml.data.DMatrixRMaj} matrices, one sample per
 * row; the affine layers also take {@link dev.backstream.common.nn.SparseRows}, and turn a dense
 * input into one first, so that both give the same bits. Parameters live in one flat {@code
 * double[]} ({@link dev.backstream.common.nn.Parameters}), the unit that goes on the wire and into
 * checkpoints. Every reduction runs in a fixed order (for the affine products, the one {@code
 * SparseOps} documents), with plain {@code *} and {@code +} and never a fused multiply-add, and
 * transcendental functions use {@link java.lang.StrictMath}, so the same inputs give the same bits
 * on every JVM, interpreted or compiled.
 *
 * <p>A training pass reuses its buffers (layers keep them between passes, outputs are passed in
 * EJML style): on the machines we measured, writing to freshly allocated arrays cost as much as
 * the arithmetic. Methods that return a matrix to a caller return a new one.
 */
package dev.backstream.common.nn;
