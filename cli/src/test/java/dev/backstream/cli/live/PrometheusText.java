package dev.backstream.cli.live;

import java.util.Map;
import java.util.TreeMap;

/** Reads samples out of Prometheus' text format, for assertions: {@code name{labels} value}. */
final class PrometheusText {
  private PrometheusText() {}

  /** Every sample line, keyed by its name and labels as written; comments left out. */
  static Map<String, Double> samples(String text) {
    Map<String, Double> samples = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }
}
