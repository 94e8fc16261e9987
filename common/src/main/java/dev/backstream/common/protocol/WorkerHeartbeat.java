package dev.backstream.common.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A worker's periodic "I am alive" on the members topic, or its goodbye on a clean shutdown; a
 * reducer says the same for its subtree ({@link #REDUCER}, with no actors, so a coordinator that
 * knows no reducers plans it no shards).
 *
 * @param run the run name
 * @param workerId the worker's id, unique within the run
 * @param host the worker's host name
 * @param pid the worker's operating-system process id
 * @param actors the shard actors the worker runs, at least 0
 * @param timestamp when the heartbeat was sent, milliseconds since the Unix epoch
 * @param leaving true on a clean shutdown, so the coordinator reassigns at once rather than
 *     waiting for the heartbeat to time out
 * @param rejectedByReason step records this worker process rejected since it started, by
 *     {@link RejectReason} name; the coordinator adds them to the run's metrics. Copied, sorted
 * @param role {@link #WORKER} or {@link #REDUCER}; absent (an older writer) is a worker
 * @param subtree the reducer's subtree ({@code ReducerSubtrees}), at least 0; 0 for a worker
 */
public record WorkerHeartbeat(
    String run,
    String workerId,
    String host,
    long pid,
    int actors,
    long timestamp,
    boolean leaving,
    Map<String, Long> rejectedByReason,
    String role,
    int subtree) {

  /** The role of a worker process. */
  public static final String WORKER = "worker";

  /** The role of a reducer process, which adds up one subtree's gradient frames. */
  public static final String REDUCER = "reducer";

  /** A worker's heartbeat. */
  public WorkerHeartbeat(String run, String workerId, String host, long pid, int actors,
      long timestamp, boolean leaving, Map<String, Long> rejectedByReason) {
    this(run, workerId, host, pid, actors, timestamp, leaving, rejectedByReason, WORKER, 0);
  }

  /**
   * Validates the record.
   *
   * @throws NullPointerException if {@code run}, {@code workerId} or {@code host} is null
   * @throws IllegalArgumentException if {@code actors} or {@code subtree} is negative, or the
   *     role is neither {@link #WORKER} nor {@link #REDUCER}
   */
  @JsonCreator
  public WorkerHeartbeat {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(host, "host");
    StepFrame.requireAtLeast("actors", actors, 0);
    StepFrame.requireAtLeast("subtree", subtree, 0);
    role = role == null ? WORKER : role;
    if (!role.equals(WORKER) && !role.equals(REDUCER)) {
      throw new IllegalArgumentException("Invalid value '" + role + "' for role: must be '"
          + WORKER + "' or '" + REDUCER + "'");
    }
    // A missing map (older writer) is no rejections, not an error.
    rejectedByReason = rejectedByReason == null
        ? Map.of()
        : Collections.unmodifiableMap(new TreeMap<>(rejectedByReason));
  }

  /** Whether a reducer sent it. */
  public boolean sentByReducer() {
    return role.equals(REDUCER);
  }

  /** Returns this record as one line of JSON. */
  public String toJson() {
    return Json.write(this);
  }

  /**
   * Reads a record from JSON; unknown fields are ignored.
   *
   * @param json the JSON text
   * @return the record
   * @throws MalformedJsonException if the text is not a valid heartbeat
   */
  public static WorkerHeartbeat fromJson(String json) {
    return Json.read(json, WorkerHeartbeat.class);
  }

  /**
   * This record as the members topic carries it: one line of JSON, with the run key's HMAC as a
   * last {@code tag} field when {@code key} is present, so a process without the key cannot pose
   * as a worker or say goodbye for one.
   */
  public byte[] encode(RunKey key) {
    return SignedJson.sign(toJson(), key);
  }

  /**
   * Reads a record from the members topic; with a present {@code key} its tag must check out.
   *
   * @param value the record's bytes, possibly null (a tombstone)
   * @param key the run's key, or {@link RunKey#NONE} to read signed and unsigned records alike
   * @throws BadTagException if {@code key} is present and the tag is missing or wrong
   * @throws MalformedJsonException if the text is not a valid heartbeat
   */
  public static WorkerHeartbeat decode(byte[] value, RunKey key) {
    return fromJson(SignedJson.open(value, key));
  }
}
