package dev.backstream.cli.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.cli.broker.BrokerSecurity;
import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.cli.broker.RoleAcls;
import dev.backstream.cli.broker.SecurityRefusals;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.Topics;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.coordinator.training.TrainingSettings;
import dev.backstream.coordinator.training.TrainingSummary;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A run against a broker with SCRAM users and per-role ACLs. */
class SecuredBrokerTest {
  private static final Dataset SUBSET = TestDatasets.mnistSubset();
  private static final TrainingSettings SETTINGS =
      new TrainingSettings(DatasetName.MNIST, 300, 100, 0.1, 50, Activation.RELU, 5, 4, 0.01);
  private static final String RUN = "secured";
  private static final BrokerSecurity SECURITY = new BrokerSecurity("admin", "admin-secret",
      List.of(new BrokerSecurity.User(RoleAcls.Role.COORDINATOR, "coord", "coord-secret"),
          new BrokerSecurity.User(RoleAcls.Role.WORKER, "worker", "worker-secret"),
          new BrokerSecurity.User(RoleAcls.Role.VIEWER, "viewer", "viewer-secret")), null);

  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startSecuredBroker() throws InterruptedException {
    broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults(), SECURITY);
    SECURITY.grant(broker.bootstrapServers(), List.of(RUN));
    KafkaTopics.ensureRunTopics(as("coord", "coord-secret"), Topics.forRun(RUN),
        Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void aRunWithSaslAndAclsEndsOnTheUnsecuredBits() throws InterruptedException {
    String expected = LocalRun.paramsSha256(SETTINGS);
    long start = System.nanoTime();
    String secured = run(as("worker", "worker-secret"), as("coord", "coord-secret"));
    double securedSeconds = (System.nanoTime() - start) / 1e9;
    String plain;
    double plainSeconds;
    try (EmbeddedKafkaBroker open = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
      KafkaSettings kafka = KafkaSettings.of(open.bootstrapServers());
      start = System.nanoTime();
      plain = run(kafka, kafka);
      plainSeconds = (System.nanoTime() - start) / 1e9;
    }
    System.out.printf("%d steps: secured %.2f s (%.1f steps/s), plain %.2f s (%.1f steps/s)%n",
        SETTINGS.steps(), securedSeconds, SETTINGS.steps() / securedSeconds, plainSeconds,
        SETTINGS.steps() / plainSeconds);
    assertThat(secured).isEqualTo(expected).isEqualTo(plain);
  }

  private static String run(KafkaSettings worker, KafkaSettings coordinator)
      throws InterruptedException {
    try (WorkerRuntime pool = WorkerRuntime.start(WorkerConfig.of(worker, RUN, 2), SUBSET.train(),
        Duration.ofSeconds(30))) {
      TrainingSummary summary = Coordinator.run(CoordinatorConfig.of(coordinator, RUN, SETTINGS),
          SUBSET, new TrainingListener() {});
      return summary.paramsSha256();
    }
  }

  @Test
  void aWorkerPrincipalCannotWriteSteps() {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(as("worker", "worker-secret").producer("rogue"))) {
      assertThatThrownBy(() -> producer.send(
          new ProducerRecord<>(Topics.forRun(RUN).steps(), 0, null, new byte[] {1})).get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class)
          .satisfies(e -> assertThat(SecurityRefusals.describe(e)).hasValueSatisfying(line ->
              assertThat(line).contains("ACLs refused").contains(Topics.forRun(RUN).steps())));
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    try (Admin admin = Admin.create(as("worker", "not-the-password").admin("wrong"))) {
      assertThatThrownBy(() -> admin.listTopics().names().get())
          .hasCauseInstanceOf(SaslAuthenticationException.class)
          .satisfies(e -> assertThat(SecurityRefusals.describe(e)).hasValueSatisfying(line ->
              assertThat(line).contains("refused this client's login").doesNotContain("\n")));
    }
  }

  private static KafkaSettings as(String user, String password) {
    return KafkaSettings.of(broker.bootstrapServers(), BrokerSecurity.client(user, password));
  }
}
