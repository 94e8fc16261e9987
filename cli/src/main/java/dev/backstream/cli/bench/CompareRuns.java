package dev.backstream.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.options.DatasetOptions;
import dev.backstream.common.nn.Dtype;
import dev.backstream.cli.process.ChildJvm;
import dev.backstream.cli.report.MetricsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The runs that {@code bench compare} puts side by side, each in a process of its own. */
final class CompareRuns {
  /**
   * What one run reported.
   *
   * @param wallSeconds the run's own clock, first step to last evaluation (start-up excluded)
   * @param steps the steps it ran
   * @param testAccuracy its test accuracy after the last step
   * @param epochs when it finished each epoch
   */
  record Result(double wallSeconds, long steps, double testAccuracy, EpochWalls epochs) {
    /** Milliseconds a step over the whole run, warm-up and evaluations included. */
    double msPerStep() {
      return 1000.0 * wallSeconds / steps;
    }
  }

  /** One side of the comparison. */
  interface Side {
    /** A short word for the ratio line ("ddp", "local"). */
    String id();

    /** What runs, for the table. */
    String name();

    /** Runs it once; {@code rep} only names its files. */
    Result run(int rep) throws InterruptedException;
  }

  private final DatasetOptions data;
  private final int steps;
  private final Dtype dtype;
  private final Path logs;

  /** @param dtype the number type of our runs (the reference's is its own) */
  CompareRuns(DatasetOptions data, int steps, Dtype dtype, Path logs) {
    this.data = data;
    this.steps = steps;
    this.dtype = dtype;
    this.logs = logs;
  }

  /** Our {@code train --workers n}: embedded broker, n worker actors, in a child JVM. */
  Side workers(int n) {
    return train("ours", "ours (train --workers " + n + ", Kafka" + suffix() + ")",
        List.of("--workers", Integer.toString(n)));
  }

  /** Our {@code train --local}: the same shard path in one process, no Kafka. */
  Side local() {
    return train("local", "ours (train --local, no Kafka" + suffix() + ")", List.of("--local"));
  }

  /** Names the number type in a run's name where it is not the book's. */
  private String suffix() {
    return dtype == Dtype.FLOAT64 ? "" : ", " + dtype.id();
  }

  /** The PyTorch DDP reference on {@code python}. */
  Side ddp(String python, String coretype) {
    return new Side() {
      @Override
      public String id() {
        return "ddp";
      }

      @Override
      public String name() {
        return "PyTorch DDP (gloo, 2 procs x 1 thread, f32)";
      }

      @Override
      public Result run(int rep) throws InterruptedException {
        JsonNode r = TorchReference.run(python, coretype, data.folder(), steps,
            logs.resolve("ddp-" + rep + ".log")).get("ddp");
        List<EpochWalls.Mark> marks = new ArrayList<>();
        for (JsonNode m : r.path("epochWalls")) {
          marks.add(new EpochWalls.Mark(m.get(0).asLong(), m.get(1).asDouble()));
        }
        return new Result(r.get("wallSeconds").asDouble(), r.get("steps").asLong(),
            r.get("testAccuracy").asDouble(), new EpochWalls(marks));
      }
    };
  }

  private Side train(String id, String name, List<String> mode) {
    return new Side() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public Result run(int rep) throws InterruptedException {
        Path summary = logs.resolve(id + "-" + rep + ".json");
        Path metrics = logs.resolve(id + "-" + rep + ".metrics.jsonl");
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(mode);
        args.addAll(List.of("--dtype", dtype.id(), "--steps", Integer.toString(steps),
            "--summary", summary.toString(), "--metrics-out", metrics.toString(),
            "--dataset", data.dataset().id(), "--data", data.folder().toString()));
        ChildJvm child = ChildJvm.start(name, logs.resolve(id + "-" + rep + ".log"), args);
        try {
          while (child.isAlive()) {
            Thread.sleep(100);
          }
        } finally {
          child.close();
        }
        if (!Files.exists(summary)) {
          throw UserException.failure(name + " wrote no summary; its output is in " + child.log());
        }
        try {
          JsonNode s = new ObjectMapper().readTree(summary.toFile());
          return new Result(s.get("wallSeconds").asDouble(), s.get("steps").asLong(),
              s.get("testAccuracy").asDouble(), new EpochWalls(
                  MetricsReader.fromFile(metrics).epochs().stream()
                      .map(e -> new EpochWalls.Mark(e.step(), e.wallSeconds())).toList()));
        } catch (IOException e) {
          throw UserException.failure("cannot read " + summary + ": " + e.getMessage());
        }
      }
    };
  }
}
