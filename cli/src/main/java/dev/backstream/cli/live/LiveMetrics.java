package dev.backstream.cli.live;

import dev.backstream.common.protocol.RejectReason;
import dev.backstream.coordinator.training.ClusterStats;
import dev.backstream.coordinator.training.EpochReport;
import dev.backstream.coordinator.training.TrainingListener;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The run's figures as Prometheus metrics, each labelled with the run's name. The registry is
 * this object's own, not the client's global default, so that several runs (tests) can share a
 * JVM. A gauge appears with its first value (no accuracy of 0 before the first epoch); counters
 * are there from the start at 0. Cluster figures change once per epoch: that is when the trainer
 * reports them.
 */
public final class LiveMetrics implements TrainingListener {
  /** The content type of {@link #write}: Prometheus' text format 0.0.4. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final String run;
  private final Gauge step;
  private final Gauge stepsPlanned;
  private final Gauge batchLoss;
  private final Gauge epoch;
  private final Gauge trainAccuracy;
  private final Gauge testAccuracy;
  private final Gauge loss;
  private final Gauge stepsPerSecond;
  private final Gauge liveWorkers;
  private final Counter shardsResent;
  private final Counter framesRejected;
  // The trainer reports totals since the start; Prometheus counters only go up by increments.
  private long shardsResentSeen;
  private final Map<String, Long> rejectedSeen = new HashMap<>();

  /** @param run the value of every metric's {@code run} label */
  public LiveMetrics(String run) {
    this.run = run;
    step = gauge("backstream_step", "Training steps done.");
    stepsPlanned = gauge("backstream_steps_planned", "Training steps the run will take.");
    batchLoss = gauge("backstream_batch_loss", "Mean training loss of the last step's batch.");
    epoch = gauge("backstream_epoch", "Epochs finished and evaluated.");
    trainAccuracy = gauge("backstream_train_accuracy",
        "Accuracy over the training set at the last epoch, 0 to 1.");
    testAccuracy = gauge("backstream_test_accuracy",
        "Accuracy over the test set at the last epoch, 0 to 1.");
    loss = gauge("backstream_loss", "Mean training loss over the last epoch's batches.");
    stepsPerSecond = gauge("backstream_steps_per_second",
        "Steps per second of wall time since the run started, at the last epoch.");
    liveWorkers = gauge("backstream_live_workers", "Worker actors alive at the last epoch.");
    Labels labels = Labels.of("run", run);
    shardsResent = Counter.builder().name("backstream_shards_resent_total")
        .help("Shards handed to another worker after their deadline.")
        .constLabels(labels).register(registry);
    framesRejected = Counter.builder().name("backstream_frames_rejected_total")
        .help("Records rejected by the coordinator, by reason.")
        .labelNames("reason").constLabels(labels).register(registry);
    // Every reason from the start at 0, so that rate() sees the first rejection.
    for (RejectReason reason : RejectReason.values()) {
      framesRejected.labelValues(reason.name());
    }
  }

  // "run" as a label name rather than a constant label: a labelled gauge has no value until set.
  private Gauge gauge(String name, String help) {
    return Gauge.builder().name(name).help(help).labelNames("run").register(registry);
  }

  private void set(Gauge gauge, double value) {
    gauge.labelValues(run).set(value);
  }

  @Override
  public void onStep(long done, long total) {
    set(step, done);
    set(stepsPlanned, total);
  }

  @Override
  public void onLoss(long step, double meanLoss) {
    set(batchLoss, meanLoss);
  }

  @Override
  public synchronized void onEpoch(EpochReport r) {
    set(epoch, r.epoch());
    set(trainAccuracy, r.trainAccuracy());
    set(testAccuracy, r.testAccuracy());
    set(loss, r.loss());
    set(stepsPerSecond, r.stepsPerSecond());
    onCluster(r.cluster());
  }

  @Override
  public synchronized void onCluster(ClusterStats cluster) {
    set(liveWorkers, cluster.liveWorkers());
    shardsResent.inc(Math.max(0, cluster.shardsResent() - shardsResentSeen));
    shardsResentSeen = Math.max(shardsResentSeen, cluster.shardsResent());
    cluster.rejectedByReason().forEach((reason, total) -> {
      long seen = rejectedSeen.getOrDefault(reason, 0L);
      if (total > seen) {
        framesRejected.labelValues(reason).inc(total - seen);
        rejectedSeen.put(reason, total);
      }
    });
  }

  /** Writes every metric in Prometheus' text format. */
  public void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape(), EscapingScheme.DEFAULT);
  }
}
