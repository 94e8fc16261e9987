package dev.backstream.cli.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.broker.BrokerSecurity;
import dev.backstream.cli.broker.BrokerSecurity.User;
import dev.backstream.cli.broker.BrokerTls;
import dev.backstream.cli.broker.EmbeddedKafkaBroker;
import dev.backstream.cli.broker.RoleAcls;
import dev.backstream.cli.broker.RoleAcls.Role;
import dev.backstream.cli.testing.BrokerKeystore;
import dev.backstream.cli.testing.Cli;
import dev.backstream.common.kafka.AccessRefusedException;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.kafka.RunAccess;
import dev.backstream.common.protocol.Topics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code backstream acls} against a broker that listens on SASL_SSL only, as a Kafka not ours
 * would: with {@code --kafka-config} trusting the broker's certificate it grants the users file's
 * roles; with a truststore of another certificate, none, or a file that sets what this command
 * decides itself, the user gets one line and the exit code, and nothing is granted.
 * ({@code SecuredBrokerTest} runs it over SASL_PLAINTEXT.)
 */
class AclsCommandTest {
  private static final String STORE_PASSWORD = "keystore-secret";
  private static final List<User> USERS = List.of(
      new User(Role.COORDINATOR, "coord", "coord-secret"),
      new User(Role.WORKER, "worker", "worker-secret"),
      new User(Role.VIEWER, "viewer", "viewer-secret"));

  @TempDir static Path dir;

  private static BrokerKeystore brokerTls;
  private static BrokerKeystore otherTls;
  private static BrokerSecurity security;
  private static EmbeddedKafkaBroker broker;
  private static Path users;

  @BeforeAll
  static void startSaslSslBroker() throws Exception {
    brokerTls = BrokerKeystore.create(dir, "broker", STORE_PASSWORD);
    otherTls = BrokerKeystore.create(dir, "other", STORE_PASSWORD);
    security = new BrokerSecurity("admin", "admin-secret", USERS,
        BrokerTls.load(brokerTls.keystore(), STORE_PASSWORD));
    broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults(), security);
    users = Files.writeString(dir.resolve("users.txt"), String.join("\n",
        "# role name password", "admin admin admin-secret", "coordinator coord coord-secret",
        "worker worker worker-secret", "viewer viewer viewer-secret", ""));
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  /**
   * The broker's certificate in {@code ssl.truststore.location}: the admin logs in over TLS and
   * creates exactly {@link RoleAcls}' bindings; then a worker user passes the check a worker makes
   * before it starts, and a coordinator user, whose role does not write gradients, does not.
   */
  @Test
  void overSaslSslWithTheBrokersCertificateGrantsTheRoles() throws Exception {
    Topics run = Topics.forRun("tls-granted");
    assertThat(acls()).doesNotContainAnyElementsOf(ofRun(granted(run), run));
    Path config = config("trusting.properties", "security.protocol=SASL_SSL",
        "ssl.truststore.type=PEM", "ssl.truststore.location=" + brokerTls.certificate());

    Cli cli = new Cli();
    int code = cli.run("acls", "--users", users.toString(), "--bootstrap",
        broker.bootstrapServers(), "--run", run.run(), "--kafka-config", config.toString());

    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.err()).isEmpty();
    assertThat(cli.out()).isEqualTo("ACLs for run(s) " + run.run() + " on "
        + broker.bootstrapServers() + ": [coordinator coord, worker worker, viewer viewer]\n");
    assertThat(acls()).containsAll(granted(run));
    KafkaTopics.ensureRunTopics(as("worker", "worker-secret"), run, Duration.ofSeconds(30),
        RunAccess.worker(run));
    assertThatThrownBy(() -> KafkaTopics.ensureRunTopics(as("coord", "coord-secret"), run,
        Duration.ofSeconds(30), RunAccess.worker(run)))
        .isInstanceOf(AccessRefusedException.class)
        .hasMessageStartingWith("user 'coord' may not WRITE to topic '" + run.gradients() + "'");
  }

  /**
   * A truststore of another certificate: the TLS handshake fails before any login, which Kafka's
   * client reports as an authentication failure; the user is told the broker's certificate is not
   * trusted, not that a password is wrong.
   */
  @Test
  void aTruststoreWithoutTheBrokersCertificateIsOneLineAndExitOne() throws Exception {
    Topics run = Topics.forRun("tls-untrusted");
    Path config = config("untrusting.properties", "security.protocol=SASL_SSL",
        "ssl.truststore.type=PEM", "ssl.truststore.location=" + otherTls.certificate());

    Cli cli = new Cli();
    int code = cli.run("acls", "--users", users.toString(), "--bootstrap",
        broker.bootstrapServers(), "--run", run.run(), "--kafka-config", config.toString());

    assertThat(code).as(cli.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err().strip().lines()).as(cli.err()).hasSize(1);
    assertThat(cli.err().strip()).isEqualTo("backstream: could not create the ACLs on "
        + broker.bootstrapServers() + " (the TLS handshake with the broker at "
        + broker.bootstrapServers() + " failed: its certificate is not trusted by the trust store "
        + "of --kafka-config: set ssl.truststore.location (and ssl.truststore.type) to one that "
        + "holds the broker's certificate, or the CA's that signed it)");
    assertThat(acls()).doesNotContainAnyElementsOf(ofRun(granted(run), run));
  }

  /** Everything that can be checked before connecting is a usage line naming the file. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "NONE | Invalid value 'CONFIG' for --kafka-config: no such file",
    "security.protocol=SASL_SSL\\nssl.truststore.location=DIR/no-such.jks\\nssl.truststore.password=x | Invalid value 'DIR/no-such.jks' for ssl.truststore.location in --kafka-config CONFIG: no such file",
    "security.protocol=SASL_SSL\\nssl.truststore.location=BROKER_PEM | Invalid value 'BROKER_PEM' for ssl.truststore.location in --kafka-config CONFIG: cannot open it as a JKS trust store (Invalid keystore format): check ssl.truststore.type (PEM for a certificate file) and ssl.truststore.password",
    "security.protocol=SASL_SSL\\nssl.truststore.type=PKCS12\\nssl.truststore.location=BROKER_P12\\nssl.truststore.password=wrong | Invalid value 'BROKER_P12' for ssl.truststore.location in --kafka-config CONFIG: cannot open it as a PKCS12 trust store (keystore password was incorrect): check ssl.truststore.type (PEM for a certificate file) and ssl.truststore.password",
    "security.protocol=SASL_SSL\\nsasl.mechanism=SCRAM-SHA-512\\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"worker\" password=\"worker-secret\"; | Invalid sasl.jaas.config in --kafka-config CONFIG: it logs in as user 'worker', but acls logs in as the admin of --users USERS; remove the line (keep security.protocol and the ssl.* settings)",
    "security.protocol=SASL_SSL\\nsasl.mechanism=PLAIN | Invalid value 'PLAIN' for sasl.mechanism in --kafka-config CONFIG: acls logs in as the admin of --users with SCRAM-SHA-512; remove the line",
    "security.protocol=SSL | Invalid value 'SSL' for security.protocol in --kafka-config CONFIG: acls logs in as the admin of --users, so it must be SASL_SSL (over TLS) or SASL_PLAINTEXT",
    "ssl.truststore.type=PEM\\nssl.truststore.location=BROKER_PEM | Missing security.protocol in --kafka-config CONFIG: its ssl.* settings are used only with security.protocol=SASL_SSL (without it acls logs in over SASL_PLAINTEXT)",
  })
  void aBadKafkaConfigIsOneUsageLineBeforeConnecting(String properties, String message)
      throws Exception {
    Path config = dir.resolve("bad.properties");
    Files.deleteIfExists(config);
    if (!properties.equals("NONE")) {
      Files.writeString(config, properties.replace("\\n", "\n").replace("DIR", dir.toString())
          .replace("BROKER_PEM", brokerTls.certificate().toString())
          .replace("BROKER_P12", brokerTls.keystore().toString()));
    }
    Topics run = Topics.forRun("tls-refused");

    Cli cli = new Cli();
    int code = cli.run("acls", "--users", users.toString(), "--bootstrap",
        broker.bootstrapServers(), "--run", run.run(), "--kafka-config", config.toString());

    assertThat(code).as(cli.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err().strip()).isEqualTo("backstream: " + message
        .replace("CONFIG", config.toString()).replace("USERS", users.toString())
        .replace("DIR", dir.toString()).replace("BROKER_PEM", brokerTls.certificate().toString())
        .replace("BROKER_P12", brokerTls.keystore().toString()));
    assertThat(cli.err()).doesNotContain("worker-secret").doesNotContain("\tat ");
    assertThat(cli.out()).isEmpty();
    assertThat(acls()).doesNotContainAnyElementsOf(ofRun(granted(run), run));
  }

  /**
   * No TLS settings against a TLS listener: the admin's client retries until its timeout (here
   * shortened in --kafka-config), then the user is told the port speaks TLS.
   */
  @Test
  void noTlsSettingsOnATlsListenerIsOneLineNamingSaslSsl() throws Exception {
    Topics run = Topics.forRun("tls-forgotten");
    Path config = config("plain.properties", "security.protocol=SASL_PLAINTEXT",
        "default.api.timeout.ms=3000", "request.timeout.ms=3000");

    Cli cli = new Cli();
    int code = cli.run("acls", "--users", users.toString(), "--bootstrap",
        broker.bootstrapServers(), "--run", run.run(), "--kafka-config", config.toString());

    assertThat(code).as(cli.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err().strip()).isEqualTo("backstream: could not create the ACLs on "
        + broker.bootstrapServers() + " (the broker at " + broker.bootstrapServers()
        + " answered no request of user 'admin' over SASL_PLAINTEXT, and its port speaks TLS: set "
        + "security.protocol=SASL_SSL and ssl.truststore.location (a trust store holding the "
        + "broker's certificate) in --kafka-config)");
    assertThat(acls()).doesNotContainAnyElementsOf(ofRun(granted(run), run));
  }

  /** A Kafka that never answers: acls waits --connect-timeout, then says whom it could not reach. */
  @Test
  void aKafkaThatDoesNotAnswerIsOneLineAfterTheConnectTimeout() throws Exception {
    // a bound port that accepts connections and never answers, as a hung host would
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String bootstrap = "127.0.0.1:" + silent.getLocalPort();

      Cli cli = new Cli();
      int code = cli.run("acls", "--users", users.toString(), "--bootstrap", bootstrap, "--run",
          "silent", "--connect-timeout", "2");

      assertThat(code).as(cli.err()).isEqualTo(ExitCodes.FAILURE);
      assertThat(cli.err().strip()).isEqualTo("backstream: could not create the ACLs on "
          + bootstrap + " (cannot reach Kafka at " + bootstrap + " within 2 s: check --bootstrap "
          + "(HOST:PORT of a running broker) and --kafka-config)");
    }
  }

  @Test
  void aConnectTimeoutUnderASecondIsOneLineAndExitTwo() {
    Cli cli = new Cli();
    int code = cli.run("acls", "--users", users.toString(), "--bootstrap",
        broker.bootstrapServers(), "--run", "r", "--connect-timeout", "0");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err().strip()).isEqualTo(
        "backstream: Invalid value 0 for --connect-timeout: must be at least 1 (seconds)");
  }

  /** What acls grants in {@code run}: the bindings of every user's role. */
  private static List<AclBinding> granted(Topics run) {
    List<AclBinding> all = new ArrayList<>();
    USERS.forEach(u -> all.addAll(RoleAcls.of(u.role(), u.name(), run.run())));
    return all;
  }

  /** Those of {@code bindings} on {@code run}'s own resources (the group ACL is every run's). */
  private static List<AclBinding> ofRun(Collection<AclBinding> bindings, Topics run) {
    return bindings.stream().filter(b -> b.pattern().name().contains(run.run())).toList();
  }

  /** Every ACL on the broker, as its super user sees them. */
  private static Collection<AclBinding> acls() throws Exception {
    Properties admin = security.adminClient();
    admin.put("bootstrap.servers", broker.bootstrapServers());
    try (Admin client = Admin.create(admin)) {
      return client.describeAcls(AclBindingFilter.ANY).values().get();
    }
  }

  private static KafkaSettings as(String user, String password) {
    return KafkaSettings.of(broker.bootstrapServers(),
        security.clientOf(new User(Role.VIEWER, user, password)));
  }

  private static Path config(String name, String... lines) throws Exception {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }
}
