package dev.backstream.cli.broker;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.options.ConnectTimeout;
import dev.backstream.cli.options.KafkaConfigFile;
import dev.backstream.common.kafka.KafkaSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstream acls}: creates the ACLs of every user of a users file on a secured Kafka that
 * is not ours, logged in as the file's admin: what {@code backstream broker --users} does for its
 * own broker. The secured compose profile runs it once, after its brokers are up. The admin logs
 * in over {@code SASL_PLAINTEXT}, or over {@code SASL_SSL} with the TLS settings of {@code
 * --kafka-config}.
 */
@Command(
    name = "acls",
    mixinStandardHelpOptions = true,
    description = "Grant the users of a users file their roles' ACLs on a secured Kafka (SCRAM-SHA-512 "
        + "over SASL_PLAINTEXT, or over SASL_SSL with --kafka-config), as the file's admin, for "
        + "each --run.")
public final class AclsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--users", paramLabel = "FILE", required = true,
      defaultValue = "${env:BACKSTREAM_BROKER_USERS}",
      description = "The users file of 'backstream broker --users': one 'ROLE NAME PASSWORD' a line, "
          + "exactly one admin, a super user of the Kafka (env BACKSTREAM_BROKER_USERS).")
  Path users;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", required = true,
      defaultValue = "${env:BACKSTREAM_BOOTSTRAP}",
      description = "Kafka bootstrap servers (env BACKSTREAM_BOOTSTRAP).")
  String bootstrap;

  @Option(names = "--kafka-config", paramLabel = "FILE",
      defaultValue = "${env:BACKSTREAM_KAFKA_CONFIG}",
      description = "Kafka client properties for the admin's client; for a SASL_SSL listener: "
          + "security.protocol=SASL_SSL and ssl.truststore.location (and .type, .password). The "
          + "login is the admin of --users: no sasl.jaas.config, and no sasl.mechanism but "
          + BrokerSecurity.MECHANISM + " (env BACKSTREAM_KAFKA_CONFIG).")
  Path kafkaConfig;

  @Mixin GrantedRuns granted;

  @Mixin ConnectTimeout connectTimeout;

  @Override
  public Integer call() throws InterruptedException {
    List<String> checked = granted.checked();
    BrokerSecurity security = BrokerCommand.loadUsers(users, null);
    Duration timeout = connectTimeout.duration();
    Properties admin = adminSettings(security, timeout).admin("backstream-acls");
    try {
      security.grant(admin, checked);
    } catch (RuntimeException e) {
      UserException failure = UserException.failure("could not create the ACLs on " + bootstrap
          + " (" + SecurityRefusals.ofAdmin(e, SecurityRefusals.Client.of(admin, null, bootstrap),
              timeout) + ")");
      failure.initCause(e);
      throw failure;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("ACLs for run(s) " + String.join(", ", checked) + " on " + bootstrap + ": "
        + security.users());
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * The admin's client: the login of {@code --users} with the rest of {@code --kafka-config}
   * (the transport: TLS trust, timeouts), waiting {@code timeout} for Kafka where the file sets no
   * time-out of its own, checked before connecting.
   *
   * <p>A login in the file is refused rather than overridden: this command acts as a super user,
   * and a file that names someone else (say {@code BACKSTREAM_KAFKA_CONFIG} still set to a
   * worker's) would otherwise be half used, its TLS settings taken and its user silently not.
   *
   * @throws UserException (exit 2) for a file that cannot be read, sets a login, asks for no
   *     login or TLS settings without TLS, or holds a setting Kafka's clients would refuse
   */
  private KafkaSettings adminSettings(BrokerSecurity security, Duration timeout) {
    KafkaConfigFile config = new KafkaConfigFile(kafkaConfig);
    KafkaSettings file = config.load(bootstrap);
    Map<String, String> overrides = file.overrides();
    if (overrides.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
      // never the value: it holds a password
      String from = spec.commandLine().getParseResult().hasMatchedOption("--kafka-config") ? ""
          : " (from env BACKSTREAM_KAFKA_CONFIG)";
      throw UserException.usage("Invalid sasl.jaas.config in --kafka-config " + kafkaConfig + from
          + ": it logs in as " + file.user().map(u -> "user '" + u + "'").orElse("someone")
          + ", but acls logs in as the admin of --users " + users + "; remove the line (keep "
          + "security.protocol and the ssl.* settings)");
    }
    String mechanism = overrides.get(SaslConfigs.SASL_MECHANISM);
    if (mechanism != null && !mechanism.strip().equals(BrokerSecurity.MECHANISM)) {
      throw config.invalidSetting(SaslConfigs.SASL_MECHANISM, mechanism, "acls logs in as the "
          + "admin of --users with " + BrokerSecurity.MECHANISM + "; remove the line");
    }
    String protocol = overrides.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
    String upper = protocol == null ? "" : protocol.strip().toUpperCase(Locale.ROOT);
    if (upper.equals("PLAINTEXT") || upper.equals("SSL")) {
      throw config.invalidSetting(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol,
          "acls logs in as the admin of --users, so it must be SASL_SSL (over TLS) or "
              + "SASL_PLAINTEXT");
    }
    if (protocol == null && overrides.keySet().stream().anyMatch(k -> k.startsWith("ssl."))) {
      throw config.invalidSetting(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, null,
          "its ssl.* settings are used only with security.protocol=SASL_SSL (without it acls "
              + "logs in over SASL_PLAINTEXT)");
    }
    Properties client = security.adminClient();
    client.putAll(overrides);
    // the file's timeouts win; Kafka refuses an API timeout below the request timeout
    client.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        Long.toString(timeout.toMillis()));
    String request = client.getProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG).strip();
    // a request timeout that is no number is named by the validation below
    long requestMillis = request.matches("[0-9]{1,18}") ? Long.parseLong(request) : 0;
    client.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        Long.toString(Math.max(timeout.toMillis(), requestMillis)));
    return config.validated(KafkaSettings.of(file.bootstrapServers(), client));
  }
}
