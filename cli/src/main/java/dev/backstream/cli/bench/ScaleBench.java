package dev.backstream.cli.bench;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.OutputFile;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.options.DatasetOptions;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.RunSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstream bench scale}: steps per second, milliseconds per step and parallel efficiency
 * of one setting (batch, shards, hidden units) for each worker count asked, each on a fresh run
 * of {@code backstream worker --actors K} child JVMs with the coordinator in this process ({@link
 * WorkerProcessRun}). Each run's first {@code --warmup} steps let every worker join; the steps
 * after them are split by {@link WarmUp#DEFAULT}, the rule of {@code bench step}, and only the
 * steady state is reported (a row whose steps never settled is marked and reports all of them).
 *
 * <p>With {@code --rounds N} every count is measured N times, in the order asked and then reversed
 * by turns ({@link ScaleRounds}): the first run of an invocation pays for the bench process's own
 * warm-up, which a single round counts against whichever count came first.
 *
 * <p>The global batch is the same for every count (strong scaling): the model is the same bits
 * whoever computes it, so a faster step is pure gain. Whether workers can pay depends on the
 * setting: with the book's batch of 100 a step is mostly two Kafka hops, with a batch of 2,000 it
 * is mostly the kernel.
 */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description = {
      "Steps/s, ms per step and parallel efficiency for each worker process count, for one "
          + "setting (--batch, --shards, --hidden); warm-up left out. Prints a table, --csv "
          + "writes it as CSV.",
      "Starts an embedded broker unless --bootstrap is given."
    })
public final class ScaleBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DatasetOptions data;

  @Mixin MeasuredRunOptions run;

  @Option(names = "--workers", split = ",", splitSynopsisLabel = ",", paramLabel = "N",
      defaultValue = "1,2",
      description = "Worker process counts to measure, in order; speed-up and efficiency are "
          + "against the first (default: ${DEFAULT-VALUE}).")
  List<Integer> workers;

  @Option(names = "--actors", paramLabel = "K", defaultValue = "1",
      description = "Shard actors per worker process (default: ${DEFAULT-VALUE}).")
  int actors;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "100",
      description = "Samples per step (default: ${DEFAULT-VALUE}, the book's).")
  int batch;

  @Option(names = "--shards", paramLabel = "S", defaultValue = "4",
      description = "Shards per step, at least the largest worker count (default: "
          + "${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--hidden", paramLabel = "N", defaultValue = "50",
      description = "Hidden units (default: ${DEFAULT-VALUE}, the book's).")
  int hidden;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
      description = "Times to measure every worker count, in the order asked in odd rounds and "
          + "reversed in even ones; each round's speed-up is against the first count asked "
          + "(default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Also write the table as CSV to FILE (replaced).")
  Path csv;

  @Override
  public Integer call() throws InterruptedException {
    checkOptions();
    csv = OutputFile.check("--csv", csv);
    PrintWriter out = spec.commandLine().getOut();
    RunSpec settings = settings();
    Dataset dataset = data.load();
    try (BenchCluster cluster = BenchCluster.open(run.bootstrap, "bench-scale")) {
      out.printf("%s, batch %d, %d shards, hidden %d, %s, %s; %d actor(s) per worker process; "
          + "%d cores; Kafka %s%n", settings.dataset().id(), settings.batch(), settings.shards(),
          settings.hidden(), settings.activation().id(), settings.dtype().id(), actors,
          Runtime.getRuntime().availableProcessors(), cluster.where());
      out.println("warm-up rule: " + WarmUp.DEFAULT.describe());
      out.flush();

      List<String> notes = new ArrayList<>();
      List<ScaleTable> tables = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        String prefix = rounds == 1 ? "" : "round " + round + ", ";
        Map<Integer, ScaleTable.Row> measured = new HashMap<>();
        for (int w : ScaleRounds.order(workers, round)) {
          StepTimes times = WorkerProcessRun.measure(cluster.kafka(), "bench-scale", w, actors,
              data, dataset, settings, run.warmup, cluster.logs(), notes);
          WarmUp.Split split = times.steadyOrAll(run.warmup, WarmUp.DEFAULT);
          measured.put(w, new ScaleTable.Row(w, actors, batch, shards, hidden, split,
              LoadAverage.oneMinute()));
          out.printf("%s%d worker(s): %s%n", prefix, w, split.describe("steps"));
          out.flush();
        }
        ScaleTable table = new ScaleTable(workers.stream().map(measured::get).toList());
        tables.add(table);
        out.println();
        if (rounds > 1) {
          out.printf("round %d of %d%n", round, rounds);
        }
        out.print(table.format());
        if (rounds > 1) {
          out.println();
        }
      }
      ScaleRounds all = new ScaleRounds(tables);
      if (rounds > 1) {
        all.speedups().forEach(out::println);
      }
      out.printf("%d steps per worker count after %d to join; steady state only (* never settled: "
          + "all measured steps); speed-up and efficiency against %d worker(s); figures of this "
          + "machine only, noisy where the CPUs are shared; load %s%n", run.steps, run.warmup,
          workers.get(0), LoadAverage.now());
      notes.forEach(n -> out.println("note: " + n));
      if (csv != null) {
        all.writeCsv(csv);
        out.println("wrote " + csv);
      }
      out.flush();
      cluster.succeeded();
      return ExitCodes.OK;
    }
  }

  private RunSpec settings() {
    try {
      return new RunSpec(data.dataset(), run.runSteps(), batch, 0.1, hidden,
          Activation.RELU, 0L, shards, RunSpec.DEFAULT_WEIGHT_INIT_STD).withDtype(run.dtype());
    } catch (IllegalArgumentException e) {
      throw UserException.usage(e.getMessage());
    }
  }

  private void checkOptions() {
    run.check();
    if (rounds < 1) {
      throw UserException.usage("Invalid value " + rounds + " for --rounds: must be at least 1");
    }
    if (workers.stream().distinct().count() != workers.size()) {
      throw UserException.usage("Invalid value " + workers.stream().map(String::valueOf)
          .collect(Collectors.joining(",")) + " for --workers: each count at most once");
    }
    if (actors < 1) {
      throw UserException.usage("Invalid value " + actors + " for --actors: must be at least 1");
    }
    for (int w : workers) {
      if (w < 1 || w > shards) {
        throw UserException.usage("Invalid value " + w + " for --workers: each must be in [1, "
            + shards + "] (at most --shards: a worker without a shard has nothing to do)");
      }
    }
  }
}
