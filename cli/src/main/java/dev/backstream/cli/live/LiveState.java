package dev.backstream.cli.live;

import dev.backstream.coordinator.training.ClusterStats;
import dev.backstream.coordinator.training.EpochReport;
import dev.backstream.coordinator.training.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What the live page shows, gathered from the trainer's calls. The trainer's threads write and
 * the HTTP server's thread reads, so every method holds the lock.
 */
public final class LiveState implements TrainingListener {
  /** The loss curve's point bound: enough for a smooth line on a page 1,000 pixels wide. */
  static final int LOSS_POINTS = 300;

  /**
   * The run as the page polls it (served as JSON).
   *
   * @param run the run's name
   * @param step steps done
   * @param totalSteps steps the run will take (0 before the first step)
   * @param stepsPerSecond steps per second over the last ten seconds (0 when stalled or done)
   * @param finished every step done and the last epoch evaluated
   * @param epochs every finished epoch, in order
   * @param loss the mean training loss per window of steps, in step order
   * @param cluster the newest cluster figures (from the last second or the last epoch), or null
   *     before any
   */
  public record Snapshot(String run, long step, long totalSteps, double stepsPerSecond, boolean finished,
      List<EpochReport> epochs, List<LossCurve.Point> loss, ClusterStats cluster) {}

  private final String run;
  private final LongSupplier nanoClock;
  private final StepRate rate = new StepRate();
  private final List<EpochReport> epochs = new ArrayList<>();
  private final LossCurve loss = new LossCurve(LOSS_POINTS);
  private long step;
  private long totalSteps;
  private ClusterStats cluster;

  /**
   * @param run the run's name, shown on the page
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  public LiveState(String run, LongSupplier nanoClock) {
    this.run = run;
    this.nanoClock = nanoClock;
  }

  @Override
  public synchronized void onStep(long done, long total) {
    step = done;
    totalSteps = total;
    rate.add(nanoClock.getAsLong(), done);
  }

  @Override
  public synchronized void onLoss(long step, double meanLoss) {
    loss.add(step, meanLoss);
  }

  @Override
  public synchronized void onCluster(ClusterStats figures) {
    cluster = figures;
  }

  @Override
  public synchronized void onEpoch(EpochReport report) {
    epochs.add(report);
    cluster = report.cluster();
  }

  /** A copy of the state now. */
  public synchronized Snapshot snapshot() {
    boolean finished = totalSteps > 0 && step == totalSteps
        && !epochs.isEmpty() && epochs.get(epochs.size() - 1).step() == totalSteps;
    return new Snapshot(run, step, totalSteps, rate.perSecond(nanoClock.getAsLong()), finished,
        List.copyOf(epochs), loss.points(), cluster);
  }
}
