/**
 * The network of the backpropagation chapter of "Deep Learning from Scratch": computational-graph
 * layers with forward and backward passes, and the two-layer network built from them.
 *
 * <p>Batch layers take and return EJML {@link org.ejml.data.DMatrixRMaj} matrices, one sample per
 * row. Parameters live in one flat {@code double[]} ({@link dev.backstream.common.nn.Parameters}),
 * the unit that goes on the wire and into checkpoints. Every reduction runs in a fixed order and
 * transcendental functions use {@link java.lang.StrictMath}, so the same inputs give the same bits
 * on every JVM, interpreted or compiled.
 */
package dev.backstream.common.nn;
