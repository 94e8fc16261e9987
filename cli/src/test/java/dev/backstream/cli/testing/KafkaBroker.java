package dev.backstream.cli.testing;

import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.common.kafka.KafkaSettings;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives tests a real Kafka broker: one per test JVM, started on first use and closed when every
 * test has run. Tests ask for it as a {@link KafkaSettings} parameter.
 */
public final class KafkaBroker implements ParameterResolver {
  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaSettings.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Running running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Running.class, k -> start(), Running.class);
    return KafkaSettings.of(running.broker().bootstrapServers());
  }

  private static Running start() {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults());
    log.info("tests use the embedded Kafka broker at {}", broker.bootstrapServers());
    return new Running(broker);
  }

  /** Closed by JUnit when the root context closes, after the last test. */
  private record Running(EmbeddedKafkaBroker broker)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      broker.close();
    }
  }
}
