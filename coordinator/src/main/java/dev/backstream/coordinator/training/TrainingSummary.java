package dev.backstream.coordinator.training;

/**
 * The outcome of a run.
 *
 * @param settings what was trained
 * @param steps steps done
 * @param trainAccuracy final accuracy over the full training set
 * @param testAccuracy final accuracy over the full test set
 * @param loss mean per-sample training loss over the last epoch's batches
 * @param wallSeconds wall time of the run, evaluation included
 * @param stepsPerSecond steps divided by wall time
 * @param paramsSha256 SHA-256 of the final parameters' little-endian bytes
 * @param cluster the distributed run's counters at the end ({@link ClusterStats#LOCAL} locally)
 */
public record TrainingSummary(
    TrainingSettings settings,
    long steps,
    double trainAccuracy,
    double testAccuracy,
    double loss,
    double wallSeconds,
    double stepsPerSecond,
    String paramsSha256,
    ClusterStats cluster) {}
