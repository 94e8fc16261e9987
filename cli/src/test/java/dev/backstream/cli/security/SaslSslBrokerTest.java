package dev.backstream.cli.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.process.ChildJvm;
import dev.backstream.cli.testing.BrokerKeystore;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backstream broker --users FILE --keystore KS} in its own JVM: a SASL_SSL listener whose
 * users train a run, over TLS, to the bits of the same run unsecured. The keystore is made with
 * the JDK's keytool ({@link BrokerKeystore}), for the address the clients dial.
 */
class SaslSslBrokerTest {
  private static final Dataset SUBSET = TestDatasets.mnistSubset();
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, 120, 100, 0.1, 50, Activation.RELU, 3, 4, 0.01);
  private static final String RUN = "tls";
  private static final String STORE_PASSWORD = "keystore-secret";
  private static final Pattern SERVING = Pattern.compile("Kafka broker serving at (\\S+)");

  @TempDir Path dir;

  @Test
  void usersOfTheUsersFileTrainOverSaslSsl() throws Exception {
    String expected = LocalRun.paramsSha256(SETTINGS);
    BrokerKeystore tls = BrokerKeystore.create(dir, "broker", STORE_PASSWORD);
    Path users = Files.writeString(dir.resolve("users.txt"), String.join("\n",
        "# role name password", "admin admin admin-secret", "coordinator coord coord-secret",
        "worker worker worker-secret", ""));

    try (ChildJvm broker = ChildJvm.start("broker", dir.resolve("broker.log"), List.of("broker",
        "--port", "0", "--controller-port", "0", "--users", users.toString(), "--run", RUN,
        "--keystore", tls.keystore().toString(), "--keystore-password", STORE_PASSWORD))) {
      broker.awaitOutput("Clients log in", Duration.ofSeconds(120));
      String log = Files.readString(broker.log());
      assertThat(log).contains("Clients log in with SCRAM-SHA-512 over SASL_SSL; ACLs for run(s) "
          + RUN + ": [coordinator coord, worker worker]");
      Matcher m = SERVING.matcher(log);
      assertThat(m.find()).isTrue();
      String bootstrap = m.group(1);
      String pem = Files.readString(tls.certificate());

      KafkaSettings coordinator = KafkaSettings.of(bootstrap, overTls("coord", "coord-secret", pem));
      KafkaSettings worker = KafkaSettings.of(bootstrap, overTls("worker", "worker-secret", pem));
      String secured;
      try (WorkerRuntime pool = WorkerRuntime.start(WorkerConfig.of(worker, RUN, 2),
          SUBSET, Duration.ofSeconds(60))) {
        secured = Coordinator.run(CoordinatorConfig.of(coordinator, RUN, SETTINGS), SUBSET,
            TrainingListener.NONE).paramsSha256();
      }
      assertThat(secured).isEqualTo(expected);
      assertThat(broker.isAlive()).isTrue();
    }
  }

  @Test
  void aBadUsersFileOrAKeystoreWithoutUsersIsAUsageLine() throws Exception {
    Path noAdmin = Files.writeString(dir.resolve("no-admin.txt"), "worker w worker-secret\n");
    Path badRole = Files.writeString(dir.resolve("bad-role.txt"),
        "admin a admin-secret\nboss b boss-secret\n");
    Path shortPassword = Files.writeString(dir.resolve("short.txt"), "admin a short\n");
    assertUsage(List.of("broker", "--users", noAdmin.toString()), "Invalid value " + noAdmin
        + " for --users: " + noAdmin + " names no admin: add a line 'admin NAME PASSWORD'");
    assertUsage(List.of("broker", "--users", badRole.toString()), badRole
        + " line 2: unknown role 'boss': must be admin, coordinator, worker, reducer or viewer");
    assertUsage(List.of("broker", "--users", shortPassword.toString()),
        "the password of 'a' must be 8 to 128 characters");
    assertUsage(List.of("broker", "--keystore", "some.p12"), "--keystore needs --users");
    Path notAKeystore = Files.writeString(dir.resolve("not.p12"), "nope");
    assertUsage(List.of("broker", "--users", badRole.toString(), "--keystore",
        notAKeystore.toString(), "--keystore-password", "whatever"),
        "Invalid value " + notAKeystore + " for --keystore: cannot open the keystore");
  }

  private static void assertUsage(List<String> args, String message) {
    Cli cli = new Cli();
    assertThat(cli.run(args.toArray(new String[0]))).as(cli.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err().strip().lines()).as(cli.err()).hasSize(1);
    assertThat(cli.err()).contains(message);
  }

  private static Properties overTls(String user, String password, String pem) {
    Properties p = dev.backstream.cli.broker.BrokerSecurity.client(user, password);
    p.put("security.protocol", "SASL_SSL");
    p.put("ssl.truststore.type", "PEM");
    p.put("ssl.truststore.certificates", pem);
    return p;
  }
}
