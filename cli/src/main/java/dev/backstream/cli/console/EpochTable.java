package dev.backstream.cli.console;

import dev.backstream.cli.console.ProgressBar;
import dev.backstream.coordinator.training.ClusterStats;
import dev.backstream.coordinator.training.EpochReport;
import dev.backstream.coordinator.training.TrainingListener;
import java.io.PrintWriter;

/** Prints one row per epoch, as the book prints accuracy each epoch, with a bar between rows. */
public final class EpochTable implements TrainingListener {
  private final PrintWriter out;
  private final ProgressBar bar;
  private final boolean distributed;
  private boolean headerPrinted;

  /**
   * @param out where rows go (standard output)
   * @param bar drawn between rows
   * @param distributed adds the cluster's columns (workers, shards re-sent, frames rejected)
   */
  public EpochTable(PrintWriter out, ProgressBar bar, boolean distributed) {
    this.out = out;
    this.bar = bar;
    this.distributed = distributed;
  }

  @Override
  public void onStep(long done, long total) {
    bar.update(done, total);
  }

  @Override
  public synchronized void onEpoch(EpochReport r) {
    bar.clear();
    if (!headerPrinted) {
      out.println(header(distributed));
      headerPrinted = true;
    }
    out.println(row(r.epoch(), r.step(), r.trainAccuracy(), r.testAccuracy(), r.loss(),
        r.stepsPerSecond(), r.wallSeconds(), distributed ? r.cluster() : null));
    out.flush();
  }

  /** The column titles; with {@code distributed}, the cluster's too. */
  public static String header(boolean distributed) {
    String base = String.format("%5s %7s %9s %9s %8s %9s %8s",
        "epoch", "step", "train acc", "test acc", "loss", "steps/s", "wall s");
    return distributed ? base + String.format(" %7s %7s %8s", "workers", "resent", "rejected") : base;
  }

  /** One row; {@code cluster} null for a local run. */
  public static String row(long epoch, long step, double train, double test, double loss,
      double stepsPerSecond, double wall, ClusterStats cluster) {
    String base = String.format("%5d %7d %9.4f %9.4f %8.4f %9.1f %8.1f",
        epoch, step, train, test, loss, stepsPerSecond, wall);
    return cluster == null ? base : base + String.format(" %7d %7d %8d",
        cluster.liveWorkers(), cluster.shardsResent(), cluster.framesRejected());
  }
}
