package dev.backstream.common.protocol;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.NetShape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's specification: everything that decides the trained parameters' bits. Together with the
 * dataset's bytes, two runs with equal specs end on the same {@code paramsSha256}, however they
 * were computed. It is the one place a run's identity is written: the command line builds it once
 * from the options, checkpoints and exported models carry its JSON, the metrics' run line holds it
 * ({@link RunRecord}) and every step frame carries it, so that a worker checks it against its own
 * data before it computes anything.
 *
 * <p>The network is {@link #shape(int)}: the dataset's pixels, {@code hidden} units and one output
 * per class ({@link LabeledImages#CLASSES}). The dataset's pinned checksums are its name's
 * ({@link DatasetName#sha256}): a loaded dataset of the published size has exactly those bytes.
 *
 * @param dataset which dataset to train on
 * @param steps number of SGD steps, at least 1
 * @param batch samples per step, at least 1
 * @param learningRate SGD step size, a positive finite number
 * @param hidden hidden units, at least 1
 * @param activation hidden activation
 * @param seed seeds the initial weights and every step's batch
 * @param shards pieces each batch is cut into, in [1, batch]; a run setting, not the worker count
 * @param weightInitStd standard deviation of the initial weights, a positive finite number
 * @param dtype the number type of parameters, gradients and frames; float64 (the book's) when
 *     absent, as in the settings of checkpoints written before runs had one
 */
public record RunSpec(
    DatasetName dataset,
    int steps,
    int batch,
    double learningRate,
    int hidden,
    Activation activation,
    long seed,
    int shards,
    double weightInitStd,
    Dtype dtype) {

  /** The book's initial weight scale. */
  public static final double DEFAULT_WEIGHT_INIT_STD = 0.01;

  /** Settings of a float64 run, the book's number type. */
  public RunSpec(DatasetName dataset, int steps, int batch, double learningRate,
      int hidden, Activation activation, long seed, int shards, double weightInitStd) {
    this(dataset, steps, batch, learningRate, hidden, activation, seed, shards, weightInitStd,
        Dtype.FLOAT64);
  }

  /** The book's run: MNIST, 10,000 steps of 100, lr 0.1, 50 ReLU hidden units, seed 0, 4 shards. */
  public static RunSpec defaults() {
    return new RunSpec(
        DatasetName.MNIST, 10_000, 100, 0.1, 50, Activation.RELU, 0L, 4, DEFAULT_WEIGHT_INIT_STD);
  }

  /** Checks every value; messages name the option, the value and what would be right. */
  public RunSpec {
    atLeast("--steps", steps, 1);
    atLeast("--batch", batch, 1);
    atLeast("--hidden", hidden, 1);
    positiveFinite("--lr", learningRate);
    positiveFinite("weight init std", weightInitStd);
    if (shards < 1 || shards > batch) {
      throw new IllegalArgumentException(
          "Invalid value " + shards + " for --shards: must be in [1, " + batch + "] (at most --batch)");
    }
    if (dtype == null) {
      dtype = Dtype.FLOAT64;
    }
    if (dataset == null || activation == null) {
      throw new IllegalArgumentException("dataset and activation must be given");
    }
  }

  private static void atLeast(String option, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(
          "Invalid value " + value + " for " + option + ": must be at least " + min);
    }
  }

  private static void positiveFinite(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "Invalid value " + value + " for " + option + ": must be a positive finite number");
    }
  }

  /** The network these settings train, for inputs of {@code features} pixels. */
  public NetShape shape(int features) {
    return NetShape.of(features, hidden);
  }

  /** Steps per epoch: one pass over {@code trainSize} samples, at least 1. */
  public int stepsPerEpoch(int trainSize) {
    return Math.max(1, trainSize / batch);
  }

  /** These settings with another step count: the only setting a resumed run may change. */
  public RunSpec withSteps(int newSteps) {
    return new RunSpec(dataset, newSteps, batch, learningRate, hidden, activation, seed,
        shards, weightInitStd, dtype);
  }

  /** These settings with another number type. */
  public RunSpec withDtype(Dtype newDtype) {
    return new RunSpec(dataset, steps, batch, learningRate, hidden, activation, seed,
        shards, weightInitStd, newDtype);
  }

  /**
   * The spec as flat fields for people and programs, named as the command line's options and in
   * their order: dataset, steps, batch, lr, hidden, activation, seed, shards, dtype and
   * weightInitStd; names by their ids ({@code mnist}, {@code relu}, {@code float64}).
   *
   * @return a new, modifiable map in that order
   */
  public Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset", dataset.id());
    m.put("steps", steps);
    m.put("batch", batch);
    m.put("lr", learningRate);
    m.put("hidden", hidden);
    m.put("activation", activation.id());
    m.put("seed", seed);
    m.put("shards", shards);
    m.put("dtype", dtype.id());
    m.put("weightInitStd", weightInitStd);
    return m;
  }

  /** One line of JSON, as checkpoints, exported models and step frames carry it. */
  public String toJson() {
    return Json.write(this);
  }

  /**
   * Reads {@link #toJson()}'s output.
   *
   * @throws MalformedJsonException if it is not a valid spec
   */
  public static RunSpec fromJson(String json) {
    return Json.read(json, RunSpec.class);
  }

  @Override
  public String toString() {
    return "dataset=" + dataset.id() + " steps=" + steps + " batch=" + batch + " lr=" + learningRate
        + " hidden=" + hidden + " activation=" + activation.id() + " seed=" + seed + " shards="
        + shards + " weightInitStd=" + weightInitStd + " dtype=" + dtype.id();
  }
}
