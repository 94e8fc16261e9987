package dev.backstream.coordinator.training;

/**
 * The evaluation at the end of an epoch (or of the run).
 *
 * @param epoch 1-based epoch number; an unfinished last epoch counts as one
 * @param step number of steps done when the parameters were taken
 * @param trainAccuracy accuracy over the full training set, 0..1
 * @param testAccuracy accuracy over the full test set, 0..1
 * @param loss mean per-sample training loss over the epoch's batches
 * @param stepsPerSecond steps done per second of wall time since the run started
 * @param wallSeconds seconds since the run started
 * @param cluster the distributed run's counters when the snapshot was taken ({@link
 *     ClusterStats#LOCAL} in this process)
 */
public record EpochReport(
    int epoch,
    long step,
    double trainAccuracy,
    double testAccuracy,
    double loss,
    double stepsPerSecond,
    double wallSeconds,
    ClusterStats cluster) {}
