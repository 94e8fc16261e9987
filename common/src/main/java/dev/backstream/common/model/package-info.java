/**
 * The trained model as a file: numpy's {@code .npz} (a zip of {@code .npy} arrays) holding W1, b1,
 * W2 and b2 as float64 in the layout of {@link dev.backstream.common.nn.Parameters}, plus the
 * activation, the run's settings and the parameters' SHA-256 as string arrays, so that {@code
 * numpy.load} reads it without pickle and our reader gets back the same bits.
 */
package dev.backstream.common.model;
