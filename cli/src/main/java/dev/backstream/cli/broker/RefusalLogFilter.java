package dev.backstream.cli.broker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Marker;

/**
 * Drops the Kafka clients' own log lines about a refused login or ACL: the command ends with
 * {@link SecurityRefusals}' one line instead, and a wrong password must not come with three
 * lines of client chatter before it. With {@code --verbose} (our code at DEBUG) nothing is dropped.
 * Registered in {@code logback.xml}.
 */
public final class RefusalLogFilter extends TurboFilter {

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format,
      Object[] params, Throwable t) {
    if (format == null || !logger.getName().startsWith("org.apache.kafka.clients")
        || logger.getLoggerContext().getLogger("dev.backstream").isDebugEnabled()) {
      return FilterReply.NEUTRAL;
    }
    boolean refusal = format.contains("failed authentication") || isRefusal(t);
    if (params != null) {
      for (Object p : params) {
        refusal |= p instanceof Throwable thrown && isRefusal(thrown);
      }
    }
    return refusal ? FilterReply.DENY : FilterReply.NEUTRAL;
  }

  private static boolean isRefusal(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof AuthenticationException || c instanceof AuthorizationException) {
        return true;
      }
    }
    return false;
  }
}
