package dev.backstream.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class KafkaSettingsTest {

  private static final String USER_FILE = String.join("\n",
      "# a typical client.properties for a secured cluster",
      "bootstrap.servers=kafka-1.example:9093",
      "security.protocol=SASL_SSL",
      "sasl.mechanism=PLAIN",
      "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
          + "username=\"u\" password=\"s3cret\";",
      "ssl.truststore.location=/etc/kafka/truststore.jks",
      "linger.ms=7",
      "fetch.max.wait.ms=50",
      "value.serializer=com.example.AvroSerializer",
      "key.deserializer=com.example.AvroDeserializer",
      "");

  @TempDir
  Path dir;

  private final Logger logger = (Logger) LoggerFactory.getLogger(KafkaSettings.class);
  private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

  @BeforeEach
  void captureWarnings() {
    // Captured, not printed: the console appender sits on the root, this one on the class.
    warnings.start();
    logger.addAppender(warnings);
    logger.setAdditive(false);
  }

  @AfterEach
  void releaseWarnings() {
    logger.detachAppender(warnings);
    logger.setAdditive(true);
  }

  @Test
  void defaultsAreTunedForLargeRecordsAndLowLatency() {
    KafkaSettings settings = KafkaSettings.of("127.0.0.1:9092");

    Properties producer = settings.producer("p");
    Properties consumer = settings.consumer("c", KafkaSettings.OffsetReset.EARLIEST);

    assertThat(producer)
        .containsEntry("bootstrap.servers", "127.0.0.1:9092")
        .containsEntry("client.id", "p")
        .containsEntry("linger.ms", "0")
        .containsEntry("acks", "all")
        .containsEntry("compression.type", "none")
        .containsEntry("max.request.size", "8388608")
        .containsEntry("send.buffer.bytes", "-1")
        .containsEntry("value.serializer", ByteArraySerializer.class.getName());
    assertThat(Integer.parseInt(producer.getProperty("buffer.memory")))
        .isGreaterThan(KafkaSettings.MAX_MESSAGE_BYTES);
    assertThat(consumer)
        .containsEntry("fetch.max.wait.ms", "5")
        .containsEntry("max.partition.fetch.bytes", "8388608")
        .containsEntry("enable.auto.commit", "false")
        .containsEntry("receive.buffer.bytes", "-1")
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("value.deserializer", ByteArrayDeserializer.class.getName())
        .doesNotContainKey("group.id");
    assertThat(settings.consumer("c", KafkaSettings.OffsetReset.LATEST))
        .containsEntry("auto.offset.reset", "latest");
  }

  @Test
  void kafkaAcceptsTheDefaults() {
    KafkaSettings settings = KafkaSettings.of("127.0.0.1:9092");

    new ProducerConfig(settings.producer("p"));
    new ConsumerConfig(settings.consumer("c", KafkaSettings.OffsetReset.LATEST));
    new AdminClientConfig(settings.admin("a"));
  }

  @Test
  void userFileOverridesDefaultsButNotSerializers() throws IOException {
    Path file = Files.writeString(dir.resolve("client.properties"), USER_FILE);

    KafkaSettings settings = KafkaSettings.load(null, file);
    Properties producer = settings.producer("p");
    Properties consumer = settings.consumer("c", KafkaSettings.OffsetReset.EARLIEST);

    assertThat(settings.bootstrapServers()).isEqualTo("kafka-1.example:9093");
    assertThat(producer)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.jks")
        .containsEntry("linger.ms", "7")
        .containsEntry("acks", "all")
        .containsEntry("value.serializer", ByteArraySerializer.class.getName());
    assertThat(consumer)
        .containsEntry("fetch.max.wait.ms", "50")
        .containsEntry("key.deserializer", ByteArrayDeserializer.class.getName());
    assertThat(settings.admin("a")).containsEntry("security.protocol", "SASL_SSL");
    assertThat(warnings.list).extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(m -> m.contains("value.serializer"))
        .anyMatch(m -> m.contains("key.deserializer"));
    new ProducerConfig(producer);
  }

  @Test
  void explicitBootstrapBeatsTheFile() throws IOException {
    Path file = Files.writeString(dir.resolve("client.properties"), USER_FILE);

    KafkaSettings settings = KafkaSettings.load("127.0.0.1:19092", file);

    assertThat(settings.producer("p")).containsEntry("bootstrap.servers", "127.0.0.1:19092");
    assertThat(settings.overrides()).doesNotContainKey("bootstrap.servers");
  }

  @Test
  void toStringHidesSecrets() throws IOException {
    Path file = Files.writeString(dir.resolve("client.properties"), USER_FILE);

    assertThat(KafkaSettings.load(null, file).toString())
        .contains("sasl.jaas.config")
        .doesNotContain("s3cret");
  }

  @Test
  void missingFileSaysSo() {
    Path missing = dir.resolve("nope.properties");

    assertThatThrownBy(() -> KafkaSettings.load("h:1", missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no such file");
  }

  @Test
  void bootstrapIsRequiredSomewhere() {
    assertThatThrownBy(() -> KafkaSettings.of(null, new Properties()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--bootstrap");
  }

  @Test
  void theUserIsTheJaasLinesUsernameAndNoOneWithoutOne() {
    Properties login = new Properties();
    login.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram."
        + "ScramLoginModule required username = \"coord\" password=\"s3cret-coord\";");
    assertThat(KafkaSettings.of("127.0.0.1:9092", login).user()).hasValue("coord");
    assertThat(KafkaSettings.of("127.0.0.1:9092").user()).isEmpty();
  }

  @Test
  void aRefusedValueIsReportedAsKeyValueAndReasonWithoutKafkasWording() {
    Properties user = new Properties();
    user.setProperty("security.protocol", "BOGUS");

    assertThatThrownBy(() -> KafkaSettings.of("127.0.0.1:9092", user).validate())
        .isInstanceOfSatisfying(InvalidClientSettingException.class, e -> {
          assertThat(e.key()).isEqualTo("security.protocol");
          assertThat(e.value()).isEqualTo("BOGUS");
        })
        .hasMessage("must be one of SASL_SSL, PLAINTEXT, SSL, SASL_PLAINTEXT (any case)");
  }

  @Test
  void saslWithoutALoginNamesTheMissingKey() {
    Properties user = new Properties();
    user.setProperty("security.protocol", "SASL_SSL");
    user.setProperty("sasl.mechanism", "PLAIN");

    assertThatThrownBy(() -> KafkaSettings.of("127.0.0.1:9092", user).validate())
        .isInstanceOfSatisfying(InvalidClientSettingException.class, e -> {
          assertThat(e.key()).isEqualTo("sasl.jaas.config");
          assertThat(e.value()).isNull();
        })
        .hasMessageStartingWith("security.protocol SASL_SSL needs it");
  }

  @Test
  void saslWithALoginPassesTheCheck() {
    Properties user = new Properties();
    user.setProperty("security.protocol", "SASL_PLAINTEXT");
    user.setProperty("sasl.mechanism", "PLAIN");
    user.setProperty("sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";");

    KafkaSettings.of("127.0.0.1:9092", user).validate();
  }

  @Test
  void aTrustStoreThatIsNotThereIsNamedByItsKey() {
    Properties user = new Properties();
    user.setProperty("security.protocol", "SSL");
    String missing = dir.resolve("no-such.jks").toString();
    user.setProperty("ssl.truststore.location", missing);

    assertThatThrownBy(() -> KafkaSettings.of("127.0.0.1:9092", user).validate())
        .isInstanceOfSatisfying(InvalidClientSettingException.class, e -> {
          assertThat(e.key()).isEqualTo("ssl.truststore.location");
          assertThat(e.value()).isEqualTo(missing);
        })
        .hasMessage("no such file");
  }

  @Test
  void aStoreKafkaCannotOpenIsNamedByItsKeyTypeAndCause() throws IOException {
    Path certificate = Files.writeString(dir.resolve("broker.pem"),
        "-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----\n");
    Properties user = new Properties();
    user.setProperty("security.protocol", "SSL");
    user.setProperty("ssl.truststore.location", certificate.toString());

    assertThatThrownBy(() -> KafkaSettings.of("127.0.0.1:9092", user).validate())
        .isInstanceOfSatisfying(InvalidClientSettingException.class, e -> {
          assertThat(e.key()).isEqualTo("ssl.truststore.location");
          assertThat(e.value()).isEqualTo(certificate.toString());
        })
        .hasMessageStartingWith("cannot open it as a JKS trust store (")
        .hasMessageEndingWith("): check ssl.truststore.type (PEM for a certificate file) and "
            + "ssl.truststore.password")
        .hasMessageNotContaining("Exception");
  }

  @Test
  void storesAreNotCheckedWithoutTls() {
    Properties user = new Properties();
    user.setProperty("security.protocol", "PLAINTEXT");
    user.setProperty("ssl.truststore.location", dir.resolve("no-such.jks").toString());

    // Kafka's clients load no store over PLAINTEXT: a stale location must not stop them
    assertThatCode(() -> KafkaSettings.of("127.0.0.1:9092", user).validate())
        .doesNotThrowAnyException();
  }
}
