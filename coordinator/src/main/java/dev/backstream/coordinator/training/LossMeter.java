package dev.backstream.coordinator.training;

/** Mean per-sample loss over the batches since the last reset. */
public final class LossMeter {
  private double lossSum;
  private long samples;

  /** Adds a batch's loss sum and size. */
  public void add(double batchLossSum, long batchSamples) {
    lossSum += batchLossSum;
    samples += batchSamples;
  }

  /** The mean since the last reset (NaN if nothing was added), then starts afresh. */
  public double meanAndReset() {
    double mean = samples == 0 ? Double.NaN : lossSum / samples;
    lossSum = 0;
    samples = 0;
    return mean;
  }
}
