package dev.backstream.cli.testing;

import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.common.kafka.KafkaSettings;
import java.util.Locale;
import java.util.Optional;
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
 * <p>Which broker is decided here, once, and logged with its reason: a Kafka container through
 * Testcontainers when a Docker engine can run one, else Kafka's own KRaft server in this JVM. The
 * container's image is the one scripts/docker-images.sh builds from our jar's broker classes,
 * {@code backstream/kafka:<clients version>} (no registry is assumed, so nothing is pulled); it
 * honours the official {@code apache/kafka} image's contract, which another image named with
 * {@code -Dbackstream.test.kafka.image} must honour too. A container is used only when the engine
 * answers, Ryuk is disabled and the image is on the engine; otherwise, or if the container fails
 * to start, the embedded broker is used and the reason logged. Both run the release the pom pins.
 * {@code -Dbackstream.test.kafka=embedded|container|auto} (or env {@code BACKSTREAM_TEST_KAFKA})
 * forces a choice; {@code container} where a container cannot run fails rather than quietly
 * testing something else.
 */
public final class KafkaBroker implements ParameterResolver {
  /** The system property that forces a broker. */
  public static final String MODE_PROPERTY = "backstream.test.kafka";
  /** The system property that names another image, e.g. {@code apache/kafka-native:4.1.1}. */
  public static final String IMAGE_PROPERTY = "backstream.test.kafka.image";

  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

  /** The image scripts/docker-images.sh builds: our jar's Kafka broker, apache/kafka's contract. */
  public static final String LOCAL_IMAGE_REPOSITORY = "backstream/kafka";

  /**
   * The image of the container broker: {@code backstream/kafka:<clients version>} unless
   * overridden, declared a substitute for {@code apache/kafka} (Testcontainers' KafkaContainer
   * accepts only that image's names otherwise).
   */
  public static DockerImageName image() {
    String name = System.getProperty(IMAGE_PROPERTY,
        LOCAL_IMAGE_REPOSITORY + ":" + AppInfoParser.getVersion());
    return DockerImageName.parse(name).asCompatibleSubstituteFor("apache/kafka");
  }

  /** Why a Kafka container cannot run here, or empty when it can (see {@link DockerEngine}). */
  public static Optional<String> containerUnusableReason() {
    return DockerEngine.unusableReason(image().asCanonicalNameString());
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
      case "container": {
        Optional<String> why = containerUnusableReason();
        if (why.isPresent()) {
          throw new IllegalStateException(MODE_PROPERTY + "=container but " + why.get());
        }
        return container();
      }
      case "auto":
        return auto();
      default:
        throw new IllegalArgumentException("Invalid value '" + mode + "' for " + MODE_PROPERTY
            + ": must be one of auto, embedded, container");
    }
  }

  /** A container where one can run, else the embedded broker; either way the reason is logged. */
  private static Running auto() {
    Optional<String> why = containerUnusableReason();
    if (why.isPresent()) {
      return embedded(why.get());
    }
    try {
      return container();
    } catch (RuntimeException e) {
      return embedded("the engine at " + DockerEngine.address() + " could not run "
          + image().asCanonicalNameString() + ": " + e.getMessage());
    }
  }

  private static Running embedded(String why) {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults());
    log.info("tests use the embedded Kafka broker at {}, not Kafka in a container: {}",
        broker.bootstrapServers(), why);
    return new Running(broker.bootstrapServers(), broker);
  }

  private static Running container() {
    DockerImageName image = image();
    KafkaContainer kafka = configured(new KafkaContainer(image));
    try {
      kafka.start();
    } catch (RuntimeException e) {
      kafka.stop();
      throw e;
    }
    String bootstrap = kafka.getBootstrapServers().replaceFirst("^PLAINTEXT://", "");
    log.info("tests use Kafka in a container ({}) at {}: the engine at {} runs it", image,
        bootstrap, DockerEngine.address());
    return new Running(bootstrap, kafka::stop);
  }

  /**
   * The container broker's settings that matter to us, as the embedded broker and
   * docker-compose.yml set them: no auto-created topics (a typo must not make a run topic),
   * messages up to the largest frame, and the embedded broker's group timeouts, so a test sees
   * the same broker behaviour whichever broker it got.
   */
  public static KafkaContainer configured(KafkaContainer kafka) {
    return kafka
        .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
        .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(KafkaSettings.MAX_MESSAGE_BYTES))
        .withEnv("KAFKA_REPLICA_FETCH_MAX_BYTES", Integer.toString(KafkaSettings.MAX_MESSAGE_BYTES))
        .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
        // As the embedded broker: a dead group member shows within about a second.
        .withEnv("KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "1000")
        .withEnv("KAFKA_GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS", "1000")
        .withEnv("KAFKA_GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS", "250")
        .withEnv("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "1")
        .withEnv("KAFKA_LOG_RETENTION_CHECK_INTERVAL_MS", "5000");
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
