package dev.backstream.cli.live;

import dev.backstream.coordinator.training.ClusterStats;
import dev.backstream.coordinator.training.EpochReport;
import dev.backstream.coordinator.training.TrainingListener;
import java.util.List;

/**
 * Hands every call to several listeners in the order given, so that the epoch table, the metrics
 * file and the live page listen to one trainer without the trainer knowing about any of them.
 */
public final class CompositeListener implements TrainingListener {
  private final List<TrainingListener> listeners;

  private CompositeListener(List<TrainingListener> listeners) {
    this.listeners = listeners;
  }

  /**
   * The listeners in call order; {@link TrainingListener#NONE} is left out, and a single listener
   * is returned as is.
   */
  public static TrainingListener of(TrainingListener... listeners) {
    List<TrainingListener> kept = List.of(listeners).stream()
        .filter(l -> l != TrainingListener.NONE)
        .toList();
    if (kept.isEmpty()) {
      return TrainingListener.NONE;
    }
    return kept.size() == 1 ? kept.get(0) : new CompositeListener(kept);
  }

  @Override
  public void onStep(long done, long total) {
    for (TrainingListener l : listeners) {
      l.onStep(done, total);
    }
  }

  @Override
  public void onLoss(long step, double meanLoss) {
    for (TrainingListener l : listeners) {
      l.onLoss(step, meanLoss);
    }
  }

  @Override
  public void onCluster(ClusterStats cluster) {
    for (TrainingListener l : listeners) {
      l.onCluster(cluster);
    }
  }

  @Override
  public void onEpoch(EpochReport report) {
    for (TrainingListener l : listeners) {
      l.onEpoch(report);
    }
  }
}
