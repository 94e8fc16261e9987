package dev.backstream.common.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One epoch's metrics, as the coordinator publishes them on the metrics topic: the {@code
 * "epoch"} kind of {@link MetricsLine}.
 *
 * <p>Accuracies and the loss may be NaN when not measured (or when the run diverged); they travel
 * as JSON strings then ({@link Json}).
 *
 * @param run the run name
 * @param epoch the epoch just finished, from 1
 * @param step the steps done so far
 * @param trainAccuracy accuracy over the full training set, in [0, 1]
 * @param testAccuracy accuracy over the full test set, in [0, 1]
 * @param loss mean training loss over the epoch's steps
 * @param stepsPerSecond steps per second over the epoch
 * @param liveWorkers workers alive at the end of the epoch
 * @param shardsResent shards handed to another worker after their deadline, since the start
 * @param framesRejected frames rejected, since the start
 * @param rejectedByReason {@code framesRejected} split by {@link RejectReason} name; copied, sorted
 * @param wallSeconds wall-clock seconds since the run started
 * @param timestamp when the record was made, milliseconds since the Unix epoch
 */
public record MetricsRecord(
    String run,
    long epoch,
    long step,
    double trainAccuracy,
    double testAccuracy,
    double loss,
    double stepsPerSecond,
    int liveWorkers,
    long shardsResent,
    long framesRejected,
    Map<String, Long> rejectedByReason,
    double wallSeconds,
    long timestamp) implements MetricsLine {

  /** The {@code "type"} of an epoch line; lines without a type are epoch lines too. */
  public static final String TYPE = "epoch";

  /**
   * Copies the map, sorted by reason so the JSON reads the same every time.
   *
   * @throws NullPointerException if {@code run}, a key or a value is null
   */
  public MetricsRecord {
    Objects.requireNonNull(run, "run");
    // A missing map (older writer) is no rejections, not an error.
    rejectedByReason = rejectedByReason == null
        ? Map.of()
        : Collections.unmodifiableMap(new TreeMap<>(rejectedByReason));
    rejectedByReason.values().forEach(v -> Objects.requireNonNull(v, "rejectedByReason value"));
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Reads an epoch record from JSON; unknown fields are ignored.
   *
   * @param json the JSON text
   * @return the record
   * @throws MalformedJsonException if the text is not a valid epoch record (a loss or run line
   *     is not one)
   */
  public static MetricsRecord fromJson(String json) {
    JsonNode tree = Json.readObject(json, MetricsRecord.class.getSimpleName());
    String type = MetricsLine.typeOf(tree);
    if (!TYPE.equals(type)) {
      throw new MalformedJsonException("Malformed MetricsRecord JSON: a " + type + " line, not an "
          + TYPE + " line", null);
    }
    return Json.read(tree, MetricsRecord.class);
  }
}
