package dev.backstream.coordinator.training;

/** Mean per-sample loss over the batches since the last reset. */
public final class LossMeter {
  private double lossSum;
  private long samples;

  /**
   * What a meter holds: an epoch's loss sum and samples so far, carried in a checkpoint so that a
   * resumed run's epoch mean is an undisturbed run's, bit for bit.
   *
   * @param lossSum sum of the per-sample losses
   * @param samples how many samples
   */
  public record Sums(double lossSum, long samples) {
    /** Nothing added yet: an epoch's start. */
    public static final Sums NONE = new Sums(0, 0);
  }

  /** An empty meter. */
  public LossMeter() {}

  /** A meter that goes on from {@code sums}. */
  public LossMeter(Sums sums) {
    this.lossSum = sums.lossSum();
    this.samples = sums.samples();
  }

  /** What was added since the last reset. */
  public Sums sums() {
    return new Sums(lossSum, samples);
  }

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
