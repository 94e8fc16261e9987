package dev.backstream.cli.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.broker.BrokerSecurity;
import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.cli.broker.RoleAcls;
import dev.backstream.cli.broker.SecurityRefusals;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.kafka.AccessRefusedException;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.kafka.RunAccess;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.Topics;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.coordinator.training.TrainingSummary;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run against a broker with SCRAM users and per-role ACLs, and the clients it refuses: each
 * gets one line naming who was refused what, exit 1, and the run goes on undisturbed.
 */
class SecuredBrokerTest {
  private static final Dataset SUBSET = TestDatasets.mnistSubset();
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, 300, 100, 0.1, 50, Activation.RELU, 5, 4, 0.01);
  private static final String RUN = "secured";
  private static final Topics TOPICS = Topics.forRun(RUN);
  private static final BrokerSecurity SECURITY = new BrokerSecurity("admin", "admin-secret",
      List.of(new BrokerSecurity.User(RoleAcls.Role.COORDINATOR, "coord", "coord-secret"),
          new BrokerSecurity.User(RoleAcls.Role.WORKER, "worker", "worker-secret"),
          new BrokerSecurity.User(RoleAcls.Role.REDUCER, "reducer", "reducer-secret"),
          new BrokerSecurity.User(RoleAcls.Role.VIEWER, "viewer", "viewer-secret")), null);

  private static EmbeddedKafkaBroker broker;

  @TempDir static Path dir;

  @BeforeAll
  static void startSecuredBroker() throws InterruptedException {
    broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults(), SECURITY);
    SECURITY.grant(broker.bootstrapServers(), List.of(RUN));
    KafkaTopics.ensureRunTopics(as("coord", "coord-secret"), TOPICS, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /**
   * While a secured run trains, four refused clients come and go: one without a login, one with
   * a wrong password, a worker principal running a coordinator (which would write steps) and a
   * coordinator principal running a worker (which would write gradients).
   * Each ends with one line, exit 1; the run ends on the bits of the same run unsecured.
   */
  @Test
  void refusedClientsGetOneLineAndTheRunEndsOnTheUnsecuredBits() throws Exception {
    String expected = LocalRun.paramsSha256(SETTINGS);
    String data = SubsetOnDisk.write(Files.createDirectories(dir.resolve("data"))).toString();
    Path workerConfig = clientConfig("worker", "worker-secret");
    Path wrongConfig = clientConfig("worker", "not-the-password");
    Path coordConfig = clientConfig("coord", "coord-secret");
    String bootstrap = broker.bootstrapServers();
    Map<String, Refusal> refusals = new ConcurrentHashMap<>();
    Thread attacks = new Thread(() -> {
      refusals.put("no login", refused("worker", "--bootstrap", bootstrap, "--run", RUN,
          "--connect-timeout", "3"));
      refusals.put("wrong password", refused("worker", "--bootstrap", bootstrap, "--run", RUN,
          "--kafka-config", wrongConfig.toString(), "--connect-timeout", "20"));
      refusals.put("worker as coordinator", refused("coordinator", "--bootstrap", bootstrap,
          "--run", RUN, "--kafka-config", workerConfig.toString(), "--data", data,
          "--steps", Long.toString(SETTINGS.steps()), "--seed", "5", "--connect-timeout", "20"));
      refusals.put("coordinator as worker", refused("worker", "--bootstrap", bootstrap, "--run",
          RUN, "--kafka-config", coordConfig.toString(), "--data", data, "--connect-timeout", "20"));
    }, "refused-clients");
    List<Long> attackedAt = new ArrayList<>();
    TrainingListener duringTheRun = new TrainingListener() {
      @Override
      public void onStep(long done, long total) {
        if (done == 10) {
          attackedAt.add(done);
          attacks.start();
        }
        if (done == total - 20) {
          // the refusals all happen while the run trains, however slow the machine
          try {
            attacks.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };

    String secured = run(as("worker", "worker-secret"), as("coord", "coord-secret"), duringTheRun);

    assertThat(secured).isEqualTo(expected);
    assertThat(attackedAt).containsExactly(10L);
    assertThat(refusals).containsOnlyKeys("no login", "wrong password", "worker as coordinator",
        "coordinator as worker");
    refusals.values().forEach(r -> {
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FAILURE);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    });
    assertThat(refusals.get("no login").err()).contains("this unauthenticated client",
        "asks for a login", "security.protocol=SASL_PLAINTEXT", "sasl.jaas.config");
    assertThat(refusals.get("wrong password").err())
        .contains("refused the login of user 'worker'", "invalid credentials");
    // asked before it writes anything: the broker says which operations its ACLs allow
    assertThat(refusals.get("worker as coordinator").err()).startsWith("backstream: user 'worker' "
        + "may not WRITE to topic '" + TOPICS.steps() + "' (ACLs: a coordinator needs that)");
    assertThat(refusals.get("coordinator as worker").err()).startsWith("backstream: user 'coord' "
        + "may not WRITE to topic '" + TOPICS.gradients() + "' (ACLs: a worker needs that)");
  }

  /**
   * A reducer reads the gradients workers write and writes its sums there: its role's user may,
   * a worker's user (which never reads gradients) is told which operation it lacks.
   */
  @Test
  void aReducerUserPassesTheReducersCheckAndAWorkerUserDoesNot() {
    KafkaTopics.requireAccess(as("reducer", "reducer-secret"), RunAccess.reducer(TOPICS),
        Duration.ofSeconds(30));
    assertThatThrownBy(() -> KafkaTopics.requireAccess(as("worker", "worker-secret"),
        RunAccess.reducer(TOPICS), Duration.ofSeconds(30)))
        .isInstanceOf(AccessRefusedException.class)
        .hasMessageStartingWith("user 'worker' may not READ")
        .hasMessageContaining("'" + TOPICS.gradients() + "'")
        .hasMessageContaining("a reducer needs that");
  }

  @Test
  void aWorkerPrincipalWritingStepsIsOneLineNamingPrincipalOperationAndTopic() {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(as("worker", "worker-secret").producer("rogue"))) {
      assertThatThrownBy(() -> producer.send(
          new ProducerRecord<>(TOPICS.steps(), 0, null, new byte[] {1})).get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class)
          .satisfies(e -> assertThat(SecurityRefusals.describe(e, SecurityRefusals.Client.of(
              "worker", "SASL_PLAINTEXT", RUN, broker.bootstrapServers())))
              .hasValueSatisfying(line -> assertThat(line)
                  .startsWith("user 'worker' may not WRITE to topic '" + TOPICS.steps() + "'")
                  .doesNotContain("\n")));
    }
  }

  /**
   * {@code backstream acls}, as the secured compose profile runs it: before, a worker user may not
   * even create another run's topics; after, it passes the check a worker makes before it starts,
   * and a coordinator user, whose role does not write gradients, is still refused.
   */
  @Test
  void aclsGrantsTheUsersFilesRolesOnAnotherRun() throws Exception {
    Topics other = Topics.forRun("granted-later");
    KafkaSettings worker = as("worker", "worker-secret");
    assertThatThrownBy(() -> KafkaTopics.ensureRunTopics(worker, other, Duration.ofSeconds(30),
        RunAccess.worker(other)))
        .satisfies(e -> assertThat(SecurityRefusals.describe(e, SecurityRefusals.Client.of(
            "worker", "SASL_PLAINTEXT", other.run(), broker.bootstrapServers())))
            .hasValue("user 'worker' may not CREATE topic '" + other.steps() + "' (refused by the "
                + "broker's ACLs): run this command as a user of the role that may (see "
                + "'backstream broker --help', --users)"));
    Path users = Files.writeString(dir.resolve("users.txt"), String.join("\n",
        "admin admin admin-secret", "coordinator coord coord-secret",
        "worker worker worker-secret", "viewer viewer viewer-secret", ""));

    Cli cli = new Cli();
    int code = cli.run("acls", "--users", users.toString(), "--bootstrap",
        broker.bootstrapServers(), "--run", other.run());

    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.out()).contains("ACLs for run(s) " + other.run() + " on "
        + broker.bootstrapServers() + ": [coordinator coord, worker worker, viewer viewer]");
    KafkaTopics.ensureRunTopics(worker, other, Duration.ofSeconds(30), RunAccess.worker(other));
    assertThatThrownBy(() -> KafkaTopics.ensureRunTopics(as("coord", "coord-secret"), other,
        Duration.ofSeconds(30), RunAccess.worker(other)))
        .isInstanceOf(AccessRefusedException.class)
        .hasMessageStartingWith("user 'coord' may not WRITE to topic '" + other.gradients() + "'");
  }

  @Test
  void aWrongPasswordIsRefused() {
    try (Admin admin = Admin.create(as("worker", "not-the-password").admin("wrong"))) {
      assertThatThrownBy(() -> admin.listTopics().names().get())
          .hasCauseInstanceOf(SaslAuthenticationException.class)
          .satisfies(e -> assertThat(SecurityRefusals.describe(e)).hasValueSatisfying(line ->
              assertThat(line).contains("refused the login").doesNotContain("\n")));
    }
  }

  private static String run(KafkaSettings worker, KafkaSettings coordinator,
      TrainingListener listener) throws InterruptedException {
    try (WorkerRuntime pool = WorkerRuntime.start(WorkerConfig.of(worker, RUN, 2), SUBSET,
        Duration.ofSeconds(30))) {
      TrainingSummary summary = Coordinator.run(CoordinatorConfig.of(coordinator, RUN, SETTINGS),
          SUBSET, listener);
      return summary.paramsSha256();
    }
  }

  private record Refusal(int code, String err) {}

  private static Refusal refused(String... args) {
    Cli cli = new Cli();
    int code = cli.run(args);
    return new Refusal(code, cli.err());
  }

  private static Path clientConfig(String user, String password) throws Exception {
    Path file = dir.resolve(user + "-" + password + ".properties");
    StringBuilder text = new StringBuilder();
    BrokerSecurity.client(user, password).forEach((k, v) -> text.append(k).append('=')
        .append(v.toString().replace("\\", "\\\\")).append('\n'));
    return Files.writeString(file, text);
  }

  private static KafkaSettings as(String user, String password) {
    return KafkaSettings.of(broker.bootstrapServers(), BrokerSecurity.client(user, password));
  }
}
