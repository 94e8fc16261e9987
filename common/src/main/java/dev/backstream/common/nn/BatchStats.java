package dev.backstream.common.nn;

/**
 * What a gradient pass learned about its batch besides the gradient.
 *
 * @param samples number of rows in the batch
 * @param lossSum sum of the per-sample cross-entropy losses
 * @param correct rows whose largest score was at the label
 */
public record BatchStats(int samples, double lossSum, int correct) {}
