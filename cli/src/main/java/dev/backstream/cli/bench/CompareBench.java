package dev.backstream.cli.bench;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.options.DatasetOptions;
import dev.backstream.common.nn.Dtype;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstream bench compare}: our {@code train --workers 2} against PyTorch DDP on the same
 * run, one after the other in one invocation, so that the ratio of the two walls is taken under
 * the same load. Where torch is missing, says how to install it and compares with our own {@code
 * train --local} instead.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Runs `train --workers 2` (a child JVM) and the PyTorch DDP reference (gloo, 2 processes x 1 "
          + "thread) one after the other, and prints both walls and the ratio ours/reference.",
      "Without torch, the reference is our own `train --local`."
    })
public final class CompareBench implements Callable<Integer> {
  /** Debian's packages for the reference; they install torch for /usr/bin/python3. */
  static final String INSTALL_TORCH = "apt-get install python3-torch libopenblas0-openmp";

  @Spec CommandSpec spec;

  @Mixin DatasetOptions data;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "10000",
      description = "Steps of each run (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
      description = "Pairs of runs, ours then the reference, alternating (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "float64",
      description = "Our run's number type: float64 (the book's) or float32, bit-identical across "
          + "worker counts in its own bits; the reference is float32 either way "
          + "(default: ${DEFAULT-VALUE}).")
  String dtype;

  @Option(names = "--python", paramLabel = "EXE",
      description = "Python with torch (default: the first of python3, /usr/bin/python3 that has it).")
  String python;

  @Option(names = "--openblas-coretype", paramLabel = "NAME", defaultValue = "SkylakeX",
      description = "OPENBLAS_CORETYPE for the reference, empty to leave it as it is "
          + "(default: ${DEFAULT-VALUE}).")
  String coretype;

  @Override
  public Integer call() throws InterruptedException {
    if (steps < 1) {
      throw UserException.usage("Invalid value " + steps + " for --steps: must be at least 1");
    }
    if (repeat < 1) {
      throw UserException.usage("Invalid value " + repeat + " for --repeat: must be at least 1");
    }
    Dtype ours32or64;
    try {
      ours32or64 = Dtype.parse(dtype);
    } catch (IllegalArgumentException e) {
      throw UserException.usage(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    Path logs = BenchFiles.createTempDirectory("backstream-bench-compare-");
    String torchPython = python != null ? python : TorchReference.findPython();
    CompareRuns runs = new CompareRuns(data, steps, ours32or64, logs);
    CompareRuns.Side reference;
    if (torchPython == null || !TorchReference.hasTorch(torchPython)) {
      out.println("note: no python3 with torch" + (python == null ? "" : " at " + python)
          + ": install it with `" + INSTALL_TORCH + "`; comparing with our train --local instead");
      reference = runs.local();
    } else {
      reference = runs.ddp(torchPython, coretype);
    }
    CompareRuns.Side ours = runs.workers(2);
    out.printf("%s, %d steps, batch 100, lr 0.1; %d cores; load %s%n", data.dataset().id(), steps,
        Runtime.getRuntime().availableProcessors(), LoadAverage.now());
    out.printf("%-4s %-44s %9s %9s %9s %9s %9s%n", "rep", "run", "wall s", "ms/step", "steady ms",
        "warm-up s", "test acc");
    out.flush();
    List<Double> ratios = new ArrayList<>();
    List<Double> steadyRatios = new ArrayList<>();
    for (int rep = 1; rep <= repeat; rep++) {
      CompareRuns.Result a = ours.run(rep);
      print(out, rep, ours.name(), a);
      CompareRuns.Result b = reference.run(rep);
      print(out, rep, reference.name(), b);
      double ratio = a.wallSeconds() / b.wallSeconds();
      double steadyRatio = a.epochs().steadyMsPerStep() / b.epochs().steadyMsPerStep();
      ratios.add(ratio);
      steadyRatios.add(steadyRatio);
      out.printf("%-4d ratio ours/%s %.2f (steady %s)%n", rep, reference.id(), ratio,
          fixed(steadyRatio, 2));
      out.flush();
    }
    double[] r = ratios.stream().mapToDouble(Double::doubleValue).toArray();
    double[] steady = steadyRatios.stream().mapToDouble(Double::doubleValue).toArray();
    out.printf("ratio ours/%s: median %.2f of %d (min %.2f, max %.2f), steady median %s; "
        + "load %s%n", reference.id(), Timings.median(r), r.length,
        java.util.Arrays.stream(r).min().orElseThrow(),
        java.util.Arrays.stream(r).max().orElseThrow(), fixed(Timings.median(steady), 2),
        LoadAverage.now());
    out.flush();
    BenchFiles.deleteRecursively(logs);
    return ExitCodes.OK;
  }

  private static void print(PrintWriter out, int rep, String name, CompareRuns.Result r) {
    double steady = r.epochs().steadyMsPerStep();
    out.printf("%-4d %-44s %9.3f %9.3f %9s %9s %9.4f%n", rep, name, r.wallSeconds(),
        r.msPerStep(), fixed(steady, 3),
        fixed(r.epochs().warmUpSeconds(r.wallSeconds(), r.steps()), 2), r.testAccuracy());
    out.flush();
  }

  /** {@code value} to {@code decimals} places, or "-" for a run too short to have it (NaN). */
  private static String fixed(double value, int decimals) {
    return Double.isNaN(value) ? "-" : String.format("%." + decimals + "f", value);
  }
}
