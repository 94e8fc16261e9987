package dev.backstream.cli.broker;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.UserException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstream acls}: creates the ACLs of every user of a users file on a secured Kafka that
 * is not ours, logged in as the file's admin: what {@code backstream broker --users} does for its
 * own broker. The secured compose profile runs it once, after its brokers are up.
 */
@Command(
    name = "acls",
    mixinStandardHelpOptions = true,
    description = "Grant the users of a users file their roles' ACLs on a secured Kafka (SCRAM-SHA-512 "
        + "over SASL_PLAINTEXT), as the file's admin, for each --run.")
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

  @Mixin GrantedRuns granted;

  @Override
  public Integer call() throws InterruptedException {
    List<String> checked = granted.checked();
    BrokerSecurity security = BrokerCommand.loadUsers(users, null);
    try {
      security.grant(bootstrap, checked);
    } catch (RuntimeException e) {
      UserException failure = UserException.failure("could not create the ACLs on " + bootstrap
          + " (" + SecurityRefusals.ofAdmin(e, security, bootstrap) + ")");
      failure.initCause(e);
      throw failure;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("ACLs for run(s) " + String.join(", ", checked) + " on " + bootstrap + ": "
        + security.users());
    out.flush();
    return ExitCodes.OK;
  }
}
