package dev.backstream.cli.broker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The broker's ERROR for a partition added to a topic is dropped; nothing else is. */
class AddedPartitionLogFilterTest {
  /** As Kafka 4.3's ReplicaManager writes it when a topic gets a partition more. */
  private static final String ADDED = "Expected partition backstream.r.gradients-1 with topic id "
      + "ChERrp_ER6yBw4YeworIdQ to exist, but it was missing. Creating...";

  private final LoggerContext context = new LoggerContext();
  private final AddedPartitionLogFilter filter = new AddedPartitionLogFilter();

  /** Our code at INFO, as logback.xml has it without --verbose (a bare context logs DEBUG). */
  @BeforeEach
  void asWithoutVerbose() {
    context.getLogger("dev.backstream").setLevel(Level.INFO);
  }

  /** Logs {@code message} as Kafka's StateChangeLogger does: "{}{}", its ident, the message. */
  private FilterReply decide(String logger, String message) {
    return filter.decide(null, context.getLogger(logger), Level.ERROR, "{}{}",
        new Object[] {"[Broker id=1] ", message}, null);
  }

  @Test
  void anAddedPartitionIsDropped() {
    assertThat(decide(AddedPartitionLogFilter.STATE_CHANGE_LOGGER, ADDED))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void otherStateChangesAndOtherLoggersPass() {
    assertThat(decide(AddedPartitionLogFilter.STATE_CHANGE_LOGGER,
        "[Broker id=1] Error while making broker the leader for partition x-0"))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide("kafka.server.ReplicaManager", ADDED)).isEqualTo(FilterReply.NEUTRAL);
    // isErrorEnabled() asks with no message
    assertThat(filter.decide(null, context.getLogger(AddedPartitionLogFilter.STATE_CHANGE_LOGGER),
        Level.ERROR, null, null, null)).isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void verboseDropsNothing() {
    context.getLogger("dev.backstream").setLevel(Level.DEBUG);
    assertThat(decide(AddedPartitionLogFilter.STATE_CHANGE_LOGGER, ADDED))
        .isEqualTo(FilterReply.NEUTRAL);
  }
}
