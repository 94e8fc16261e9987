package dev.backstream.cli.broker;

import java.util.Optional;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Turns a secured broker's refusal, wherever it sits in a cause chain, into the one line a user
 * needs: what was refused and where to look, without a stack trace.
 */
public final class SecurityRefusals {

  private SecurityRefusals() {}

  /** The line for {@code e}, or empty if no cause of it is an authentication or ACL refusal. */
  public static Optional<String> describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationException) {
        return Optional.of("the broker refused this client's login (" + t.getMessage()
            + "): check sasl.jaas.config in --kafka-config");
      }
      if (t instanceof TopicAuthorizationException topics) {
        return Optional.of("the broker's ACLs refused this client on topic(s) "
            + String.join(", ", topics.unauthorizedTopics())
            + ": its principal lacks this role's read or write there (see RoleAcls)");
      }
      if (t instanceof TransactionalIdAuthorizationException) {
        return Optional.of("the broker's ACLs refused this client the coordinator's transactional"
            + " id: grant the coordinator role to its principal");
      }
      if (t instanceof GroupAuthorizationException group) {
        return Optional.of("the broker's ACLs refused this client group " + group.groupId());
      }
      if (t instanceof AuthorizationException) {
        return Optional.of("the broker's ACLs refused this client: " + t.getMessage());
      }
    }
    return Optional.empty();
  }
}
