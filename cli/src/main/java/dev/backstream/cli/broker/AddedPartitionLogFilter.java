package dev.backstream.cli.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Drops the broker's ERROR "Expected partition P with topic id T to exist, but it was missing.
 * Creating..." of {@code state.change.logger}: Kafka logs it for every partition added to an
 * existing topic, which is what giving a run its reducer subtrees does, so {@code train
 * --reducers} and {@code backstream broker} would print an error line per subtree for a routine
 * step (Kafka's own reviewers call it alarming, apache/kafka#14579). Other state-change lines pass.
 * With {@code --verbose} (our code at DEBUG) nothing is dropped. Registered in {@code logback.xml}.
 */
public final class AddedPartitionLogFilter extends TurboFilter {
  /** The logger Kafka's broker writes partition state changes to. */
  static final String STATE_CHANGE_LOGGER = "state.change.logger";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format,
      Object[] params, Throwable t) {
    if (format == null || !STATE_CHANGE_LOGGER.equals(logger.getName())
        || logger.getLoggerContext().getLogger("dev.backstream").isDebugEnabled()) {
      return FilterReply.NEUTRAL;
    }
    // Kafka's StateChangeLogger logs "{}{}" with its "[Broker id=N] " and the message as params
    String message = MessageFormatter.arrayFormat(format, params).getMessage();
    boolean added = message.contains("Expected partition ")
        && message.contains(" to exist, but it was missing. Creating");
    return added ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
