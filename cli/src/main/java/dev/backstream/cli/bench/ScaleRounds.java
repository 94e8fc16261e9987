package dev.backstream.cli.bench;

import dev.backstream.common.files.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The rounds of one {@code bench scale} invocation: each round measures every worker count asked,
 * and its table has them in the order asked, so each round's speed-up is against the first count
 * asked whichever was measured first. A round measured in the other order cancels what the first
 * row of an invocation pays (the bench process's own JIT, the machine warming), which one round
 * cannot tell from a speed-up. Immutable.
 */
final class ScaleRounds {
  /** The CSV header: {@link ScaleTable#CSV_HEADER}'s columns, then the round (1, 2, ...). */
  static final String CSV_HEADER = ScaleTable.CSV_HEADER + ",round";

  private final List<ScaleTable> rounds;

  /** @param rounds one table per round, in the order measured, at least one (copied) */
  ScaleRounds(List<ScaleTable> rounds) {
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("bench scale needs at least one round");
    }
    this.rounds = List.copyOf(rounds);
  }

  /**
   * The order in which round {@code round} (1, 2, ...) measures {@code workers}: as asked in odd
   * rounds, reversed in even ones.
   */
  static List<Integer> order(List<Integer> workers, int round) {
    List<Integer> order = new ArrayList<>(workers);
    if (round % 2 == 0) {
      Collections.reverse(order);
    }
    return order;
  }

  /**
   * One line per worker count after the first: its speed-up in each round, their median (the mean
   * of the middle two for an even count of rounds) and their least.
   */
  List<String> speedups() {
    ScaleTable first = rounds.get(0);
    List<String> lines = new ArrayList<>();
    for (int i = 1; i < first.rows().size(); i++) {
      double[] each = new double[rounds.size()];
      for (int r = 0; r < rounds.size(); r++) {
        each[r] = rounds.get(r).speedup(i);
      }
      lines.add(String.format(Locale.ROOT,
          "speed-up of %d against %d worker(s), round by round: %s; median %.2fx, least %.2fx",
          first.rows().get(i).workers(), first.rows().get(0).workers(),
          Arrays.stream(each).mapToObj(s -> String.format(Locale.ROOT, "%.2fx", s))
              .collect(Collectors.joining(", ")),
          median(each), Arrays.stream(each).min().orElseThrow()));
    }
    return lines;
  }

  /** The rows of every round as CSV lines, header first, each ending in its round. */
  List<String> csv() {
    List<String> lines = new ArrayList<>();
    lines.add(CSV_HEADER);
    for (int r = 0; r < rounds.size(); r++) {
      List<String> table = rounds.get(r).csv();
      for (String line : table.subList(1, table.size())) {
        lines.add(line + "," + (r + 1));
      }
    }
    return lines;
  }

  /** Writes {@link #csv} to {@code file} atomically (replacing it). */
  void writeCsv(Path file) {
    try {
      AtomicFile.write(file,
          out -> out.write((String.join("\n", csv()) + "\n").getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The middle value, or the mean of the middle two: an upper middle would flatter two rounds. */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
