package dev.backstream.common.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import java.util.Objects;

/**
 * A run's spec, the first line of its metrics, so that a report made from the metrics alone can
 * say what was trained. A coordinator that takes over a run sends it again.
 *
 * @param run the run name
 * @param mode how the run is computed: {@code kafka} (coordinator and workers) or {@code local}
 * @param spec what is trained; null in a line that carried none
 * @param stepsPerEpoch steps of one pass over the training set
 * @param timestamp when the record was made, milliseconds since the Unix epoch
 */
public record RunRecord(String run, String mode, RunSpec spec, long stepsPerEpoch, long timestamp)
    implements MetricsLine {

  /** The {@code "type"} of a run line. */
  public static final String TYPE = "run";

  /**
   * Checks the run name only: a reader takes what a writer recorded.
   *
   * @throws NullPointerException if {@code run} is null
   */
  public RunRecord {
    Objects.requireNonNull(run, "run");
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Reads a run line, also one of the builds before run lines held a {@link RunSpec}, whose
   * settings stood beside the run name with the dataset and activation by their ids (float64,
   * the only number type then).
   *
   * @throws MalformedJsonException if it is not a valid run line
   */
  static RunRecord read(JsonNode tree) {
    if (tree.has("spec") || !tree.has("steps")) {
      return Json.read(tree, RunRecord.class);
    }
    try {
      RunSpec spec = new RunSpec(DatasetName.parse(tree.path("dataset").asText()),
          tree.path("steps").asInt(), tree.path("batch").asInt(),
          tree.path("learningRate").asDouble(), tree.path("hidden").asInt(),
          Activation.parse(tree.path("activation").asText()), tree.path("seed").asLong(),
          tree.path("shards").asInt(), tree.path("weightInitStd").asDouble());
      return new RunRecord(tree.path("run").asText(), tree.path("mode").asText(), spec,
          tree.path("stepsPerEpoch").asLong(), tree.path("timestamp").asLong());
    } catch (IllegalArgumentException e) {
      throw new MalformedJsonException("Malformed RunRecord JSON: " + e.getMessage(), e);
    }
  }
}
