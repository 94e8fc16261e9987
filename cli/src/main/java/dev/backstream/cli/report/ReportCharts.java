package dev.backstream.cli.report;

import dev.backstream.cli.base.UserException;
import dev.backstream.common.protocol.MetricsRecord;
import java.awt.AWTError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's two charts, drawn by XChart and encoded as PNG without a display (the JVM must run
 * with {@code java.awt.headless=true}, which {@link ReportCommand} sets).
 */
public final class ReportCharts {
  /** Width of each chart, pixels. */
  public static final int WIDTH = 800;
  /** Height of each chart, pixels. */
  public static final int HEIGHT = 500;

  private static final Color TRAIN = new Color(31, 119, 180);
  private static final Color TEST = new Color(255, 127, 14);
  /** The raw losses jump by a factor of two from step to step; faint, they show the spread. */
  private static final Color RAW = new Color(120, 120, 120, 60);
  private static final Color SMOOTH = new Color(200, 60, 20);

  private ReportCharts() {}

  /**
   * Train and test accuracy per epoch, as the book draws them: x epochs, y accuracy in [0, 1].
   *
   * @return the PNG's bytes
   */
  public static byte[] accuracy(RunMetrics m) {
    List<MetricsRecord> epochs = m.epochs();
    double[] x = epochs.stream().mapToDouble(MetricsRecord::epoch).toArray();
    XYChart chart = chart("Accuracy per epoch (run '" + m.run() + "')", "epochs", "accuracy");
    XYStyler style = chart.getStyler();
    style.setYAxisMin(0.0);
    style.setYAxisMax(1.0);
    style.setYAxisDecimalPattern("0.0");
    style.setxAxisTickLabelsFormattingFunction(ReportCharts::wholeNumbers);
    style.setLegendPosition(Styler.LegendPosition.InsideSE);
    XYSeries train = chart.addSeries("train acc", x,
        epochs.stream().mapToDouble(MetricsRecord::trainAccuracy).toArray());
    style(train, SeriesMarkers.CIRCLE, SeriesLines.SOLID, TRAIN);
    XYSeries test = chart.addSeries("test acc", x,
        epochs.stream().mapToDouble(MetricsRecord::testAccuracy).toArray());
    style(test, SeriesMarkers.SQUARE, SeriesLines.DASH_DASH, TEST);
    return png(chart);
  }

  /**
   * Each step's training loss, faint, behind its trailing moving average.
   *
   * @return the PNG's bytes
   */
  public static byte[] loss(RunMetrics m) {
    long[] allSteps = m.steps();
    double[] allLosses = m.losses();
    // a diverged run's NaN and infinite losses cannot be drawn; the rest still can
    int[] finite = IntStream.range(0, allLosses.length)
        .filter(i -> Double.isFinite(allLosses[i])).toArray();
    double[] steps = new double[finite.length];
    double[] losses = new double[finite.length];
    for (int k = 0; k < finite.length; k++) {
      steps[k] = allSteps[finite[k]];
      losses[k] = allLosses[finite[k]];
    }
    XYChart chart = chart("Training loss per step (run '" + m.run() + "')", "steps", "loss");
    XYStyler style = chart.getStyler();
    style.setLegendPosition(Styler.LegendPosition.InsideNE);
    // from step 0, XChart puts its ticks at round numbers (0, 2000, ...)
    style.setXAxisMin(0.0);
    style.setXAxisDecimalPattern("0");
    if (losses.length == 0) {
      // an empty series makes XChart fail; one invisible point keeps the axes and the title
      style(chart.addSeries("no loss recorded", new double[] {0}, new double[] {0}),
          SeriesMarkers.NONE, SeriesLines.NONE, RAW);
      return png(chart);
    }
    // XChart puts ticks at data values (1, 501, 1002, ...) when every x is equally spaced; one
    // invisible point between two steps gives round ticks (0, 2000, ...) instead
    XYSeries offGrid = chart.addSeries(" ", new double[] {0.5}, new double[] {losses[0]});
    style(offGrid, SeriesMarkers.NONE, SeriesLines.NONE, RAW);
    offGrid.setShowInLegend(false);
    XYSeries raw = chart.addSeries("loss of each step", steps, losses);
    style(raw, SeriesMarkers.NONE, SeriesLines.SOLID, RAW);
    raw.setLineWidth(0.75f);
    int window = window(losses.length);
    XYSeries smooth = chart.addSeries("moving average of " + window + " steps", steps,
        movingAverage(losses, window));
    style(smooth, SeriesMarkers.NONE, SeriesLines.SOLID, SMOOTH);
    smooth.setLineWidth(2f);
    return png(chart);
  }

  /**
   * The window of the moving average: 100 steps, as the README says, or half the run if that is
   * shorter (a window as long as the run would only draw its running mean); at least 1.
   */
  static int window(int count) {
    return Math.max(1, Math.min(100, count / 2));
  }

  /**
   * The trailing moving average: element i is the mean of values (i - window, i]; the first
   * window - 1 are means of what there is so far.
   */
  static double[] movingAverage(double[] values, int window) {
    double[] out = new double[values.length];
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      sum += values[i];
      if (i >= window) {
        sum -= values[i - window];
      }
      out[i] = sum / Math.min(i + 1, window);
    }
    return out;
  }

  private static void style(XYSeries series, Marker marker, BasicStroke line, Color color) {
    series.setMarker(marker);
    series.setLineStyle(line);
    series.setLineColor(color);
    series.setMarkerColor(color);
  }

  /** Epochs are whole numbers: a tick between two of them gets no label. */
  private static String wholeNumbers(Double value) {
    return value == Math.rint(value) ? Long.toString(value.longValue()) : "";
  }

  private static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    XYStyler style = chart.getStyler();
    style.setChartBackgroundColor(Color.WHITE);
    style.setPlotBackgroundColor(Color.WHITE);
    style.setPlotGridLinesColor(new Color(225, 225, 225));
    style.setLegendBorderColor(Color.LIGHT_GRAY);
    style.setAntiAlias(true);
    return chart;
  }

  private static byte[] png(XYChart chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException | AWTError | LinkageError e) {
      // a JRE without fonts or AWT libraries (a slim container image) cannot draw text
      throw UserException.failure("cannot draw the charts: " + e
          + " (this Java needs its AWT libraries and a font: e.g. install fontconfig)");
    }
  }
}
