package dev.backstream.cli.testing;

import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.common.kafka.KafkaSettings;
import java.util.Locale;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Gives tests a real Kafka broker: one per test JVM, started on first use and closed when every
 * test has run. Tests ask for it as a {@link KafkaSettings} parameter.
 *
 * <p>Which broker is decided here, once, and logged: the official {@code apache/kafka} image
 * through Testcontainers when a Docker engine is present, else Kafka's own KRaft server in this
 * JVM. The image's tag is the version of the Kafka clients on the class path, so both brokers run
 * the release the pom pins. {@code -Dbackstream.test.kafka=embedded|container|auto} (or env
 * {@code BACKSTREAM_TEST_KAFKA}) forces a choice; {@code container} without an engine fails
 * rather than quietly testing something else.
 */
public final class KafkaBroker implements ParameterResolver {
  /** The system property that forces a broker. */
  public static final String MODE_PROPERTY = "backstream.test.kafka";
  /** The system property that names another image, e.g. {@code apache/kafka-native:4.1.1}. */
  public static final String IMAGE_PROPERTY = "backstream.test.kafka.image";

  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

  /** The image of the container broker: {@code apache/kafka:<clients version>} unless overridden. */
  public static DockerImageName image() {
    String name = System.getProperty(IMAGE_PROPERTY, "apache/kafka:" + AppInfoParser.getVersion());
    return DockerImageName.parse(name);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaSettings.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Running running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Running.class, k -> start(), Running.class);
    return KafkaSettings.of(running.bootstrapServers());
  }

  private static Running start() {
    String mode = System.getProperty(MODE_PROPERTY, System.getenv()
        .getOrDefault("BACKSTREAM_TEST_KAFKA", "auto")).trim().toLowerCase(Locale.ROOT);
    switch (mode) {
      case "embedded":
        return embedded("forced by " + MODE_PROPERTY + "=embedded");
      case "container":
        if (!DockerEngine.present()) {
          throw new IllegalStateException(MODE_PROPERTY + "=container but " + DockerEngine.absenceReason());
        }
        return container();
      case "auto":
        return DockerEngine.present() ? container() : embedded(DockerEngine.absenceReason());
      default:
        throw new IllegalArgumentException("Invalid value '" + mode + "' for " + MODE_PROPERTY
            + ": must be one of auto, embedded, container");
    }
  }

  private static Running embedded(String why) {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults());
    log.info("tests use the embedded Kafka broker at {}, not apache/kafka in a container: {}",
        broker.bootstrapServers(), why);
    return new Running(broker.bootstrapServers(), broker);
  }

  private static Running container() {
    DockerImageName image = image();
    KafkaContainer kafka = configured(new KafkaContainer(image));
    kafka.start();
    String bootstrap = kafka.getBootstrapServers().replaceFirst("^PLAINTEXT://", "");
    log.info("tests use Kafka in a container ({}) at {}: a Docker engine is present", image, bootstrap);
    return new Running(bootstrap, kafka::stop);
  }

  /**
   * The container broker's settings that matter to us, as the embedded broker and
   * docker-compose.yml set them: no auto-created topics (a typo must not make a run topic) and
   * messages up to the largest frame.
   */
  public static KafkaContainer configured(KafkaContainer kafka) {
    return kafka
        .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
        .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(KafkaSettings.MAX_MESSAGE_BYTES))
        .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
  }

  /** Closed by JUnit when the root context closes, after the last test. */
  private record Running(String bootstrapServers, AutoCloseable broker)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws Exception {
      broker.close();
    }
  }
}
