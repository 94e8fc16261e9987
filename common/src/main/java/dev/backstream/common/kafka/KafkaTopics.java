package dev.backstream.common.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import dev.backstream.common.protocol.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a run's topics when they are absent, replicated as far as the cluster allows
 * ({@link TopicSpec#replicationFor(int)} of the live brokers); of existing topics only the
 * retention of those that keep their data ({@link TopicSpec#KEPT}) is set again, so a metrics
 * topic made by an older version does not lose a finished run's history.
 */
public final class KafkaTopics {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

  private KafkaTopics() {}

  /**
   * Ensures the five topics of a run exist ({@link TopicSpec#forRun(Topics, int)}), with the
   * replication the live brokers can give.
   *
   * @param admin the admin client; not closed
   * @param topics the run's topic names
   * @param timeout how long to wait for the broker, in total
   * @return the names of the topics this call created, in creation order; empty if all existed
   * @throws TimeoutException if the broker did not answer in time (retriable)
   * @throws KafkaException if a topic cannot be created (e.g. not authorized, too few brokers)
   * @throws InterruptException if the thread was interrupted while waiting
   */
  public static Set<String> ensureTopics(Admin admin, Topics topics, Duration timeout) {
    return ensureTopics(admin, topics, timeout, null, null);
  }

  /** {@link #ensureTopics(Admin, Topics, Duration)}, checking {@code access} before retention. */
  private static Set<String> ensureTopics(Admin admin, Topics topics, Duration timeout,
      String user, RunAccess access) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int replication = TopicSpec.replicationFor(liveBrokers(admin, timeout));
    List<TopicSpec> specs = TopicSpec.forRun(topics, replication);
    Set<String> created = createMissing(admin, specs, deadline, timeout);
    if (access != null) {
      // before the retention, whose warning would only come before this refusal's line
      requireAccess(admin, user, access, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    keepExisting(admin, specs, created, deadline);
    return created;
  }

  /**
   * Counts the brokers that answer, as the cluster's metadata lists them.
   *
   * @throws TimeoutException if the broker did not answer in time
   */
  static int liveBrokers(Admin admin, Duration timeout) {
    try {
      return admin.describeCluster().nodes().get(timeout.toNanos(), TimeUnit.NANOSECONDS).size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TimeoutException late) {
        throw late;
      }
      throw new KafkaException("Cannot list the cluster's brokers: " + e.getCause().getMessage(),
          e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException("The cluster's brokers not listed within " + timeout
          + ": is the broker at the bootstrap address up?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  /**
   * Whether a topic exists, asked with an admin client of its own; creates nothing.
   *
   * @throws KafkaUnreachableException if the broker does not answer within {@code timeout}
   */
  public static boolean exists(KafkaSettings kafka, String topic, Duration timeout) {
    Admin admin = Admin.create(kafka.admin("backstream-admin"));
    try {
      boolean exists = admin.listTopics().names().get(timeout.toNanos(), TimeUnit.NANOSECONDS)
          .contains(topic);
      admin.close();
      return exists;
    } catch (java.util.concurrent.TimeoutException e) {
      // closed normally, the client would wait out its call to the absent broker (60 s)
      admin.close(Duration.ZERO);
      throw new KafkaUnreachableException(kafka.bootstrapServers(), timeout);
    } catch (ExecutionException e) {
      admin.close(Duration.ZERO);
      throw new KafkaException("Cannot list topics: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      admin.close(Duration.ZERO);
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  /**
   * Ensures the run's topics exist, with an admin client of its own.
   *
   * @throws KafkaUnreachableException if the broker does not answer within {@code timeout}
   */
  public static Set<String> ensureRunTopics(KafkaSettings kafka, Topics topics,
      Duration timeout) {
    return ensureRunTopics(kafka, topics, timeout, null);
  }

  /**
   * Ensures the run's topics exist, then that the broker lets this client do what {@code access}
   * needs, asking the broker which operations its ACLs allow this client on each topic: a process
   * of the wrong role stops here, before it writes or reads anything, with a line that names its
   * user, the operation and the topic.
   *
   * @param access what the calling process's role reads and writes, or null to check nothing
   * @throws KafkaUnreachableException if the broker does not answer within {@code timeout}
   * @throws AccessRefusedException naming the first operation of {@code access} refused
   */
  public static Set<String> ensureRunTopics(KafkaSettings kafka, Topics topics,
      Duration timeout, RunAccess access) {
    Admin admin = Admin.create(kafka.admin("backstream-admin"));
    boolean answered = false;
    try {
      Set<String> created = ensureTopics(admin, topics, timeout, kafka.user().orElse(null), access);
      answered = true;
      return created;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new KafkaUnreachableException(kafka.bootstrapServers(), timeout);
    } finally {
      // an admin client closed normally waits for its calls to the absent broker to time out too
      admin.close(answered ? Duration.ofSeconds(5) : Duration.ZERO);
    }
  }


  /**
   * Gives the run's gradients topic one partition per reducer subtree beside the coordinator's
   * ({@code reducers + 1}, see {@code ReducerSubtrees}), or reads how many it has. A topic of one
   * partition (made by a worker that started first, or by a run without reducers so far) grows;
   * a topic that already has subtrees keeps them, since workers and reducers route by them: asking
   * for another count is refused. Growing is safe mid-run: a writer that has not seen the new
   * partitions yet sends everything to partition 0, which the coordinator always reads.
   *
   * @param reducers R wanted, at least 0, or -1 for whatever the topic has
   * @return R in force: the topic's partitions less one
   * @throws IllegalStateException if the topic has subtrees and {@code reducers} asks for others
   * @throws KafkaUnreachableException if the broker does not answer within {@code timeout}
   */
  public static int ensureReducerSubtrees(KafkaSettings kafka, Topics topics, int reducers,
      Duration timeout) {
    return withAdmin(kafka, timeout, "give " + topics.gradients() + " " + (reducers + 1)
        + " partitions", admin -> {
          int partitions = partitions(admin, topics.gradients(), timeout);
          int wanted = reducers + 1;
          if (reducers < 0 || partitions == wanted) {
            return partitions - 1;
          }
          if (partitions != 1) {
            throw new IllegalStateException("Invalid value " + reducers + " for --reducers: run '"
                + topics.run() + "' has " + (partitions - 1) + " reducer subtrees (its gradients"
                + " topic has " + partitions + " partitions), fixed when they were first set; give "
                + (partitions - 1) + " or leave --reducers out");
          }
          admin.createPartitions(Map.of(topics.gradients(), NewPartitions.increaseTo(wanted)))
              .all().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
          return reducers;
        });
  }

  /**
   * How many partitions {@code topic} has, asked with an admin client of its own.
   *
   * @throws KafkaUnreachableException if the broker does not answer within {@code timeout}
   */
  public static int partitions(KafkaSettings kafka, String topic, Duration timeout) {
    return withAdmin(kafka, timeout, "describe " + topic,
        admin -> partitions(admin, topic, timeout));
  }

  /** One request of an admin client of its own. */
  private interface AdminCall<T> {
    T call(Admin admin)
        throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException;
  }

  /**
   * Runs {@code call} with an admin client of its own, closed after it.
   *
   * @param what what the call does, for the message of a broker's refusal ("describe X")
   * @throws KafkaUnreachableException if the broker does not answer within {@code timeout}
   */
  private static <T> T withAdmin(KafkaSettings kafka, Duration timeout, String what,
      AdminCall<T> call) {
    Admin admin = Admin.create(kafka.admin("backstream-admin"));
    boolean answered = true;
    try {
      return call.call(admin);
    } catch (ExecutionException e) {
      throw new KafkaException("Cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException | TimeoutException e) {
      answered = false;
      throw new KafkaUnreachableException(kafka.bootstrapServers(), timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    } finally {
      // an admin client closed normally waits for its calls to an absent broker to time out too
      admin.close(answered ? Duration.ofSeconds(5) : Duration.ZERO);
    }
  }

  /**
   * Checks that the broker lets this client do what {@code access} needs on topics that exist:
   * for a process that creates none (a reducer), as {@link #ensureRunTopics(KafkaSettings, Topics,
   * Duration, RunAccess)} checks the others.
   *
   * @throws AccessRefusedException naming the first operation of {@code access} refused
   * @throws KafkaUnreachableException if the broker does not answer within {@code timeout}
   */
  public static void requireAccess(KafkaSettings kafka, RunAccess access, Duration timeout) {
    withAdmin(kafka, timeout, "describe " + String.join(", ", access.topics()), admin -> {
      requireAccess(admin, kafka.user().orElse(null), access, timeout);
      return null;
    });
  }

  private static int partitions(Admin admin, String topic, Duration timeout)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    return describeOnceKnown(admin, Set.of(topic), System.nanoTime() + timeout.toNanos())
        .get(topic).partitions().size();
  }

  /**
   * Throws for the first need of {@code access} that the broker's ACLs do not allow this client.
   * An open broker (no authorizer) allows everything.
   */
  private static void requireAccess(Admin admin, String user, RunAccess access,
      Duration timeout) {
    Map<String, TopicDescription> described;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      described = describeOnceKnown(admin, access.topics(), deadline);
    } catch (ExecutionException e) {
      throw new KafkaException("Cannot describe topics " + String.join(", ", access.topics())
          + ": " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException("Topics not described within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
    for (RunAccess.Need need : access.needs()) {
      Set<AclOperation> allowed = described.get(need.topic()).authorizedOperations();
      // null: a broker that did not say; the first real request will tell
      if (allowed != null && !allowed.contains(need.operation())) {
        throw new AccessRefusedException(user, need.operation(), need.topic(), access.role());
      }
    }
  }

  /**
   * Describes {@code names} with the operations this client may do on them. A topic created a
   * moment ago can be unknown to the broker asked until its metadata reaches it (KRaft brokers
   * learn new topics from the metadata log, after the controller has answered the creation), so
   * an unknown topic is asked for again until {@code deadline}.
   */
  private static Map<String, TopicDescription> describeOnceKnown(Admin admin, Set<String> names,
      long deadline) throws ExecutionException, InterruptedException,
      java.util.concurrent.TimeoutException {
    while (true) {
      try {
        return admin.describeTopics(names,
                new DescribeTopicsOptions().includeAuthorizedOperations(true))
            .allTopicNames().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  /**
   * Ensures the given topics exist; concurrent creators are fine, one of them wins.
   *
   * @param admin the admin client; not closed
   * @param specs the topics
   * @param timeout how long to wait for the broker, in total
   * @return the names of the topics this call created
   * @throws TimeoutException if the broker did not answer in time (retriable)
   * @throws KafkaException if a topic cannot be created
   * @throws InterruptException if the thread was interrupted while waiting
   */
  public static Set<String> ensureTopics(Admin admin, Collection<TopicSpec> specs,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> created = createMissing(admin, specs, deadline, timeout);
    keepExisting(admin, specs, created, deadline);
    return created;
  }

  /** Creates those of {@code specs} that are absent; returns the names this call created. */
  private static Set<String> createMissing(Admin admin, Collection<TopicSpec> specs,
      long deadline, Duration timeout) {
    Map<String, KafkaFuture<Void>> results = admin
        .createTopics(specs.stream().map(TopicSpec::toNewTopic).collect(Collectors.toList()))
        .values();
    Set<String> created = new LinkedHashSet<>();
    for (TopicSpec spec : specs) {
      try {
        results.get(spec.name()).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        created.add(spec.name());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new KafkaException("Cannot create topic " + spec.name() + ": "
              + e.getCause().getMessage(), e.getCause());
        }
      } catch (java.util.concurrent.TimeoutException e) {
        throw new TimeoutException("Topic " + spec.name() + " not created within " + timeout
            + ": is the broker at the bootstrap address up?", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      }
    }
    return created;
  }

  /** Sets {@link TopicSpec#KEPT} on the kept topics that existed before this call. */
  private static void keepExisting(Admin admin, Collection<TopicSpec> specs, Set<String> created,
      long deadline) {
    Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
    for (TopicSpec spec : specs) {
      if (spec.kept() && !created.contains(spec.name())) {
        List<AlterConfigOp> set = TopicSpec.KEPT.entrySet().stream()
            .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()),
                AlterConfigOp.OpType.SET))
            .collect(Collectors.toList());
        ops.put(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()), set);
      }
    }
    if (ops.isEmpty()) {
      return;
    }
    try {
      admin.incrementalAlterConfigs(ops).all()
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        // a principal without AlterConfigs (a worker under ACLs) can still train; the data of
        // such a topic then lives as long as the cluster's retention says
        LOG.warn("Retention of {} left as it is: {}", ops.keySet().stream()
            .map(ConfigResource::name).collect(Collectors.joining(", ")), e.getCause().getMessage());
        return;
      }
      throw new KafkaException("Cannot set the retention of " + ops.keySet().stream()
          .map(ConfigResource::name).collect(Collectors.joining(", ")) + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException("Retention of existing topics not set in time:"
          + " is the broker at the bootstrap address up?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }
}
