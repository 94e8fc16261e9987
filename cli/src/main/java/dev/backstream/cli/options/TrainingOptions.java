package dev.backstream.cli.options;

import dev.backstream.cli.base.UserException;
import dev.backstream.common.data.DataFile;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Dtype;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.RunSpec;
import picocli.CommandLine.Option;

/** The options that decide the trained model, shared by {@code train} and {@code coordinator}. */
public final class TrainingOptions {
  @Option(names = "--steps", defaultValue = "${env:BACKSTREAM_STEPS:-10000}",
      description = "SGD steps (default: ${DEFAULT-VALUE}; env BACKSTREAM_STEPS).")
  int steps;

  @Option(names = "--batch", defaultValue = "${env:BACKSTREAM_BATCH:-100}",
      description = "Samples per step (default: ${DEFAULT-VALUE}; env BACKSTREAM_BATCH).")
  int batch;

  @Option(names = "--lr", defaultValue = "${env:BACKSTREAM_LR:-0.1}",
      description = "Learning rate (default: ${DEFAULT-VALUE}; env BACKSTREAM_LR).")
  double learningRate;

  @Option(names = "--hidden", defaultValue = "${env:BACKSTREAM_HIDDEN:-50}",
      description = "Hidden units (default: ${DEFAULT-VALUE}; env BACKSTREAM_HIDDEN).")
  int hidden;

  @Option(names = "--activation", defaultValue = "${env:BACKSTREAM_ACTIVATION:-relu}",
      description = "Hidden activation: relu or sigmoid (default: ${DEFAULT-VALUE}; "
          + "env BACKSTREAM_ACTIVATION).")
  String activation;

  @Option(names = "--seed", defaultValue = "${env:BACKSTREAM_SEED:-0}",
      description = "Seeds the initial weights and every batch (default: ${DEFAULT-VALUE}; "
          + "env BACKSTREAM_SEED).")
  long seed;

  @Option(names = "--shards", defaultValue = "${env:BACKSTREAM_SHARDS:-4}",
      description = "Pieces each batch is cut into; part of the model's identity, not the worker "
          + "count (default: ${DEFAULT-VALUE}; env BACKSTREAM_SHARDS).")
  int shards;

  @Option(names = "--dtype", defaultValue = "${env:BACKSTREAM_DTYPE:-float64}",
      description = "Number type of weights, gradients and frames: float64 (the book's) or "
          + "float32 (half the bytes a frame; its own paramsSha256) (default: ${DEFAULT-VALUE}; "
          + "env BACKSTREAM_DTYPE).")
  String dtype;

  // What a step frame carries besides 8 bytes per parameter and 4 per batch index: run name,
  // shard owners, header, tag. Generous, so that the bound below is one the codec accepts.
  private static final int FRAME_OVERHEAD_BYTES = 16 * 1024;

  /**
   * The validated settings.
   *
   * @param overKafka true when the parameters travel in step frames, whose size bounds --hidden
   * @throws UserException (exit 2) naming the bad value and its range
   */
  public RunSpec toSettings(DatasetName dataset, boolean overKafka) {
    // the published training set: a batch of more samples than there are is no batch of the book
    int trainImages = (int) (dataset.size(DataFile.TRAIN_LABELS) - 8);
    inRange("--batch", batch, trainImages, "the training images of " + dataset.id());
    inRange("--hidden", hidden, maxHidden(dataset, overKafka), overKafka
        ? "8 bytes a parameter in a step frame of at most " + FrameCodec.MAX_FRAME_BYTES + " bytes"
        : "the parameters in one Java array");
    try {
      return new RunSpec(
          dataset, steps, batch, learningRate, hidden, Activation.parse(activation), seed, shards,
          RunSpec.DEFAULT_WEIGHT_INIT_STD, Dtype.parse(dtype));
    } catch (IllegalArgumentException e) {
      throw UserException.usage(e.getMessage());
    }
  }

  /**
   * The most hidden units whose parameters (inputs x hidden + hidden + hidden x classes + classes)
   * fit a step frame over Kafka, or, in this process, whose largest array (the parameters, or the
   * batch's hidden layer of batch x hidden) fits one Java array.
   */
  private int maxHidden(DatasetName dataset, boolean overKafka) {
    long features = (dataset.size(DataFile.TRAIN_IMAGES) - 16) / (dataset.size(DataFile.TRAIN_LABELS) - 8);
    int classes = LabeledImages.CLASSES;
    long perHidden = overKafka ? features + 1 + classes : Math.max(features + 1 + classes, batch);
    long maxParams = overKafka
        ? (FrameCodec.MAX_FRAME_BYTES - FRAME_OVERHEAD_BYTES - 4L * Math.max(batch, 1)) / 8
        : Integer.MAX_VALUE - 8; // the largest array a JVM allocates
    return (int) ((maxParams - classes) / perHidden);
  }

  /**
   * Checks {@code --batch} against the training images actually loaded (a subset may hold fewer
   * than the published set).
   *
   * @throws UserException (exit 2) if the batch is larger than the training set
   */
  public void checkBatch(Dataset loaded) {
    inRange("--batch", batch, loaded.train().count(),
        "the training images in the data folder");
  }

  private static void inRange(String option, int value, int max, String why) {
    if (value > max) {
      throw UserException.usage("Invalid value " + value + " for " + option + ": must be in [1, "
          + max + "] (" + why + ")");
    }
  }
}
