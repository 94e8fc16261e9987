package dev.backstream.cli.report;

import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.RunRecord;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (charts as base64 data URIs, no external file or
 * script) with the run's settings, its summary and every epoch.
 */
public final class ReportHtml {
  private ReportHtml() {}

  /**
   * Writes the page.
   *
   * @param m the run's metrics
   * @param accuracyPng the accuracy chart
   * @param lossPng the loss chart
   * @return the HTML text
   */
  public static String page(RunMetrics m, byte[] accuracyPng, byte[] lossPng) {
    StringBuilder h = new StringBuilder(accuracyPng.length * 2 + lossPng.length * 2);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(escape("backstream report: run '" + m.run() + "'")).append("</title>\n<style>\n")
        .append("body { font-family: sans-serif; margin: 2em; color: #222; }\n")
        .append("table { border-collapse: collapse; margin-bottom: 1.5em; }\n")
        .append("th, td { border: 1px solid #ccc; padding: 0.25em 0.75em; text-align: left; }\n")
        .append("td.n { text-align: right; font-variant-numeric: tabular-nums; }\n")
        .append("</style>\n</head>\n<body>\n<h1>")
        .append(escape("backstream report: run '" + m.run() + "'")).append("</h1>\n");
    h.append("<h2>Settings</h2>\n");
    table(h, settings(m.settings()));
    h.append("<h2>Summary</h2>\n");
    table(h, summary(m));
    h.append("<h2>Accuracy</h2>\n").append(image(accuracyPng, "train and test accuracy per epoch"));
    h.append("<h2>Loss</h2>\n").append(image(lossPng, "training loss per step"));
    h.append("<h2>Epochs</h2>\n");
    epochs(h, m);
    return h.append("</body>\n</html>\n").toString();
  }

  private static Map<String, String> settings(RunRecord r) {
    Map<String, String> rows = new LinkedHashMap<>();
    if (r == null || r.spec() == null) {
      rows.put("settings", "not in these metrics (written before runs recorded their settings)");
      return rows;
    }
    rows.put("run", r.run());
    rows.put("mode", r.mode());
    r.spec().fields().forEach((k, v) -> rows.put(k, String.valueOf(v)));
    rows.put("steps per epoch", Long.toString(r.stepsPerEpoch()));
    return rows;
  }

  private static Map<String, String> summary(RunMetrics m) {
    MetricsRecord last = m.last();
    MetricsRecord best = m.epochs().stream()
        .max((a, b) -> Double.compare(a.testAccuracy(), b.testAccuracy())).orElse(last);
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("epochs", Long.toString(last.epoch()));
    rows.put("steps done", Long.toString(last.step()));
    rows.put("train accuracy", fixed(last.trainAccuracy(), 4));
    rows.put("test accuracy", fixed(last.testAccuracy(), 4));
    rows.put("best test accuracy", fixed(best.testAccuracy(), 4) + " (epoch " + best.epoch() + ")");
    rows.put("loss (last epoch's mean)", fixed(last.loss(), 4));
    rows.put("wall time", fixed(last.wallSeconds(), 1) + " s");
    rows.put("steps per second", fixed(last.stepsPerSecond(), 1));
    rows.put("workers at the end", Integer.toString(last.liveWorkers()));
    rows.put("shards re-sent", Long.toString(last.shardsResent()));
    rows.put("frames rejected", Long.toString(last.framesRejected()));
    rows.put("step losses recorded", Integer.toString(m.losses().length));
    return rows;
  }

  private static void table(StringBuilder h, Map<String, String> rows) {
    h.append("<table>\n");
    rows.forEach((k, v) -> h.append("<tr><th>").append(escape(k)).append("</th><td>")
        .append(escape(v)).append("</td></tr>\n"));
    h.append("</table>\n");
  }

  private static void epochs(StringBuilder h, RunMetrics m) {
    h.append("<table>\n<tr><th>epoch</th><th>step</th><th>train acc</th><th>test acc</th>"
        + "<th>loss</th><th>steps/s</th><th>wall s</th><th>workers</th></tr>\n");
    for (MetricsRecord r : m.epochs()) {
      h.append("<tr>");
      for (String cell : new String[] {Long.toString(r.epoch()), Long.toString(r.step()),
          fixed(r.trainAccuracy(), 4), fixed(r.testAccuracy(), 4), fixed(r.loss(), 4),
          fixed(r.stepsPerSecond(), 1), fixed(r.wallSeconds(), 1),
          Integer.toString(r.liveWorkers())}) {
        h.append("<td class=\"n\">").append(cell).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static String image(byte[] png, String alt) {
    return "<p><img alt=\"" + escape(alt) + "\" src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(png) + "\"></p>\n";
  }

  private static String fixed(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  /** Escapes text for HTML element content and quoted attributes. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
