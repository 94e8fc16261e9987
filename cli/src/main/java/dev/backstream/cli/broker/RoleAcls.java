package dev.backstream.cli.broker;

import dev.backstream.common.kafka.RunAccess;
import dev.backstream.common.protocol.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of backstream's four roles on one run's topics ({@code backstream.<run>.*}): a
 * coordinator writes steps, checkpoints and metrics, reads gradients and members, gives the
 * gradients topic its reducer partitions and owns its transactional id {@code
 * backstream-coordinator-<run>}; a worker reads steps and metrics (to exit when the run is done)
 * and writes gradients and members; a reducer reads steps, gradients and metrics and writes
 * gradients and members; a viewer reads metrics and checkpoints.
 *
 * <p>Describe and create (not the viewer's) are prefixed ACLs on {@code backstream.<run>.};
 * reads and writes are literal ACLs on each topic, those of the role's {@link RunAccess}, so a
 * worker that writes {@code steps} is refused by the broker.
 */
public final class RoleAcls {

  private static final String GROUPS = "backstream";

  private RoleAcls() {}

  /** The bindings that let {@code user} act as {@code role} in {@code run}. */
  public static List<AclBinding> of(Role role, String user, String run) {
    String principal = "User:" + user;
    Topics topics = Topics.forRun(run);
    String prefix = topics.steps().substring(0, topics.steps().length() - "steps".length());
    List<AclBinding> out = new ArrayList<>();
    // every process checks that the run's topics exist before it starts
    out.add(allow(principal, ResourceType.TOPIC, prefix, PatternType.PREFIXED, AclOperation.DESCRIBE));
    out.add(allow(principal, ResourceType.GROUP, GROUPS, PatternType.PREFIXED, AclOperation.READ));
    switch (role) {
      case COORDINATOR -> {
        // ALTER: --reducers adds partitions to the gradients topic
        for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS, AclOperation.ALTER)) {
          out.add(allow(principal, ResourceType.TOPIC, prefix, PatternType.PREFIXED, op));
        }
        String transactionalId = "backstream-coordinator-" + run;
        for (AclOperation op : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
          out.add(allow(principal, ResourceType.TRANSACTIONAL_ID, transactionalId,
              PatternType.LITERAL, op));
        }
      }
      // a worker may start before its coordinator: it creates the run's topics if missing
      case WORKER -> out.add(allow(principal, ResourceType.TOPIC, prefix, PatternType.PREFIXED,
          AclOperation.CREATE));
      // a reducer waits for its run's topics rather than create them
      case REDUCER, VIEWER -> { }
      default -> throw new IllegalStateException("no ACLs for " + role);
    }
    // reads and writes: exactly what a process of the role checks before it starts
    for (RunAccess.Need need : access(role, topics).needs()) {
      out.add(allow(principal, ResourceType.TOPIC, need.topic(), PatternType.LITERAL,
          need.operation()));
    }
    return out;
  }

  /** The reads and writes of {@code role} on {@code topics}. */
  static RunAccess access(Role role, Topics topics) {
    return switch (role) {
      case COORDINATOR -> RunAccess.coordinator(topics);
      case WORKER -> RunAccess.worker(topics);
      case REDUCER -> RunAccess.reducer(topics);
      case VIEWER -> RunAccess.viewer(topics);
    };
  }

  /** Creates {@code bindings} with {@code admin}, a super user's client; waits for them. */
  public static void create(Admin admin, List<AclBinding> bindings) throws InterruptedException {
    try {
      admin.createAcls(bindings).all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("creating ACLs failed: " + e.getCause().getMessage(), e);
    }
  }

  private static AclBinding allow(String principal, ResourceType type, String name,
      PatternType pattern, AclOperation op) {
    return new AclBinding(new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
  }

  /** backstream's four client roles. */
  public enum Role { COORDINATOR, WORKER, REDUCER, VIEWER }
}
