package dev.backstream.cli.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Holds back the Kafka server's own log lines while the embedded broker starts: a failed start (a
 * log directory that is a file, a port taken in the meantime, a start that timed out) is logged
 * by Kafka with a stack trace, and then reported by us in one line. With {@code --verbose}
 * nothing is held back. Once the broker serves, its warnings and errors reach the log as always.
 * The filter is the JVM's, so a second broker already running in this JVM (tests) is quiet too
 * for those seconds.
 */
final class QuietStart implements AutoCloseable {
  private final LoggerContext context;
  private final TurboFilter filter;

  private QuietStart(LoggerContext context, TurboFilter filter) {
    this.context = context;
    this.filter = filter;
  }

  /**
   * Starts holding back the broker's log lines, unless {@code --verbose} turned our own debug
   * logging on; {@link #close()} ends it.
   */
  static QuietStart begin() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)
        || context.getLogger("dev.backstream").isDebugEnabled()) {
      return new QuietStart(null, null);
    }
    TurboFilter filter = new TurboFilter() {
      @Override
      public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level,
          String format, Object[] params, Throwable t) {
        String name = logger.getName();
        boolean server = name.startsWith("kafka") || name.startsWith("org.apache.kafka")
            || name.startsWith("state.change");
        return server ? FilterReply.DENY : FilterReply.NEUTRAL;
      }
    };
    filter.start();
    context.addTurboFilter(filter);
    return new QuietStart(context, filter);
  }

  @Override
  public void close() {
    if (context != null) {
      context.getTurboFilterList().remove(filter);
      filter.stop();
    }
  }
}
