package dev.backstream.common.protocol;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A worker's periodic "I am alive" on the members topic, or its goodbye on a clean shutdown.
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
 */
public record WorkerHeartbeat(
    String run,
    String workerId,
    String host,
    long pid,
    int actors,
    long timestamp,
    boolean leaving,
    Map<String, Long> rejectedByReason) {

  /**
   * Validates the record.
   *
   * @throws NullPointerException if {@code run}, {@code workerId} or {@code host} is null
   * @throws IllegalArgumentException if {@code actors} is negative
   */
  public WorkerHeartbeat {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(host, "host");
    StepFrame.requireAtLeast("actors", actors, 0);
    // A missing map (older writer) is no rejections, not an error.
    rejectedByReason = rejectedByReason == null
        ? Map.of()
        : Collections.unmodifiableMap(new TreeMap<>(rejectedByReason));
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
