package dev.backstream.common.nn;

/**
 * The derivatives a two-input scalar node passes back to its inputs.
 *
 * @param dx derivative with respect to the first input
 * @param dy derivative with respect to the second input
 */
public record ScalarGradients(double dx, double dy) {}
