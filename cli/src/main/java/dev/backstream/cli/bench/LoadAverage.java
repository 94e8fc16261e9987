package dev.backstream.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load when a figure was taken: on shared CPUs it says how much a figure means. */
final class LoadAverage {
  private LoadAverage() {}

  /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown". */
  static String now() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The 1-minute load average from /proc/loadavg, or NaN where there is none. */
  static double oneMinute() {
    try {
      return Double.parseDouble(now().split(" ")[0]);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
