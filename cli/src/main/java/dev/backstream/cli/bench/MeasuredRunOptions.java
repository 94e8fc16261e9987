package dev.backstream.cli.bench;

import dev.backstream.cli.base.UserException;
import dev.backstream.common.nn.Dtype;
import picocli.CommandLine.Option;

/**
 * The options of a benchmark that times the steps of fresh runs on worker processes ({@code bench
 * step}, {@code bench scale}): where Kafka is, and how many steps are run and measured.
 */
public final class MeasuredRunOptions {
  @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
      description = "Measure on this Kafka cluster (default: an embedded broker in this process).")
  String bootstrap;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "2000",
      description = "Measured steps per worker count, split by the warm-up rule into warm-up "
          + "and steady state (default: ${DEFAULT-VALUE}; the JIT needs several hundred steps).")
  int steps;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "100",
      description = "Steps run first and not measured; they should last over a second so that "
          + "every worker has joined (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "float64",
      description = "Number type of the runs' weights, gradients and frames: float64 (the "
          + "book's) or float32, half the bytes on every hop (default: ${DEFAULT-VALUE}).")
  String dtype;

  /** The runs' number type. */
  Dtype dtype() {
    try {
      return Dtype.parse(dtype);
    } catch (IllegalArgumentException e) {
      throw UserException.usage(e.getMessage());
    }
  }

  /** Steps of each run: the ones to join, then the measured ones. */
  int runSteps() {
    return warmup + steps;
  }

  /** Refuses counts that leave nothing to measure. */
  void check() {
    dtype();
    if (steps < 1) {
      throw UserException.usage("Invalid value " + steps + " for --steps: must be at least 1");
    }
    if (warmup < 1) {
      throw UserException.usage("Invalid value " + warmup + " for --warmup: must be at least 1 "
          + "(the first step's start is not observable)");
    }
  }
}
