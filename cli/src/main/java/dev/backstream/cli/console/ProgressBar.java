package dev.backstream.cli.console;

import java.io.PrintStream;

/**
 * A one-line progress bar on the terminal, redrawn in place at most ten times a second. When
 * standard error is not a terminal (CI logs, pipes) it draws nothing, so logs hold results only.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final boolean enabled;
  private final String unit;
  private long lastDraw;
  private boolean drawn;
  private final long started = System.nanoTime();

  /**
   * @param out where to draw (standard error)
   * @param enabled false draws nothing
   * @param unit what is counted, e.g. "steps" or "MB"
   */
  public ProgressBar(PrintStream out, boolean enabled, String unit) {
    this.out = out;
    this.enabled = enabled;
    this.unit = unit;
  }

  /** A bar on standard error, drawn only when the process has a terminal. */
  public static ProgressBar onTerminal(String unit) {
    return new ProgressBar(System.err, System.console() != null, unit);
  }

  /** Shows {@code done} of {@code total}; cheap to call on every step. */
  public synchronized void update(long done, long total) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (drawn && now - lastDraw < REDRAW_NANOS && done < total) {
      return;
    }
    lastDraw = now;
    drawn = true;
    double fraction = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
    int filled = (int) Math.round(fraction * WIDTH);
    double seconds = (now - started) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    out.print(String.format("\r[%s%s] %d/%d %s  %.1f %s/s ",
        "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, unit, rate, unit));
    out.flush();
  }

  /** Erases the bar so that the next line prints cleanly. */
  public synchronized void clear() {
    if (enabled && drawn) {
      out.print("\r" + " ".repeat(WIDTH + 60) + "\r");
      out.flush();
      drawn = false;
    }
  }
}
