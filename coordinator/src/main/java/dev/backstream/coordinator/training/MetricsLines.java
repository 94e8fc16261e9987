package dev.backstream.coordinator.training;

import dev.backstream.common.protocol.LossRecord;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.RunRecord;
import dev.backstream.common.protocol.RunSpec;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Turns a trainer's calls into the run's metrics lines and hands each to a sink: the run's
 * settings once, before anything else; each step's loss, a block of {@value #BLOCK} steps at a
 * time (and the partial block at the end of every epoch and of the run); each epoch's report.
 * The coordinator's sink is the metrics topic, {@code train --metrics-out}'s a file: both get the
 * same lines.
 *
 * <p>{@link #onLoss} runs on the step loop, so it only copies a double into a buffer, and every
 * {@value #BLOCK} steps hands one small record to the sink, which must not block. Calls to {@link
 * #onLoss} come from one thread; {@link #onEpoch} may come from another.
 */
public final class MetricsLines implements TrainingListener {

  /** Steps per loss record: a 10,000-step run sends 100 of them. */
  public static final int BLOCK = 100;

  private final String run;
  private final String mode;
  private final RunSpec settings;
  private final int perEpoch;
  private final Consumer<MetricsLine> sink;
  private final LongSupplier millis;
  private final AtomicBoolean started = new AtomicBoolean();
  private final double[] block = new double[BLOCK];
  private int count;
  private long firstStep;

  /**
   * @param run the run name
   * @param mode {@code kafka} or {@code local}, recorded in the run line
   * @param settings what is trained
   * @param trainSize training samples, which set the steps of an epoch
   * @param sink receives each line; must not block
   * @param millis wall clock for the lines' timestamps, milliseconds since the Unix epoch
   */
  public MetricsLines(String run, String mode, RunSpec settings, int trainSize,
      Consumer<MetricsLine> sink, LongSupplier millis) {
    this.run = run;
    this.mode = mode;
    this.settings = settings;
    this.perEpoch = settings.stepsPerEpoch(trainSize);
    this.sink = sink;
    this.millis = millis;
  }

  @Override
  public void onLoss(long step, double meanLoss) {
    start();
    if (count > 0 && step != firstStep + count) {
      flush(); // a gap (a new generation resumed elsewhere): a block holds consecutive steps only
    }
    if (count == 0) {
      firstStep = step;
    }
    block[count++] = meanLoss;
    if (count == BLOCK || step % BLOCK == 0 || step % perEpoch == 0 || step >= settings.steps()) {
      flush();
    }
  }

  @Override
  public void onEpoch(EpochReport r) {
    start();
    sink.accept(new MetricsRecord(run, r.epoch(), r.step(), r.trainAccuracy(), r.testAccuracy(),
        r.loss(), r.stepsPerSecond(), r.cluster().liveWorkers(), r.cluster().shardsResent(),
        r.cluster().framesRejected(), r.cluster().rejectedByReason(), r.wallSeconds(),
        millis.getAsLong()));
  }

  private void start() {
    if (!started.get() && started.compareAndSet(false, true)) {
      sink.accept(new RunRecord(run, mode, settings, perEpoch, millis.getAsLong()));
    }
  }

  private void flush() {
    sink.accept(new LossRecord(run, firstStep, Arrays.copyOf(block, count)));
    count = 0;
  }
}
