package dev.backstream.common.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of a run's metrics: a record on its metrics topic, or a line of {@code train
 * --metrics-out}. Each is one JSON object whose {@code "type"} field says which kind it is:
 * {@code "run"} ({@link RunRecord}, the settings, once at the start), {@code "loss"} ({@link
 * LossRecord}, each step's loss, a block of steps at a time) and {@code "epoch"} ({@link
 * MetricsRecord}, an epoch's evaluation). A line without a type is an epoch record, as every
 * line was before the other kinds existed.
 */
public sealed interface MetricsLine permits RunRecord, LossRecord, MetricsRecord {

  /** The name of the discriminator field. */
  String TYPE_FIELD = "type";

  /** The run name. */
  String run();

  /** The value of the {@code "type"} field: {@code "run"}, {@code "loss"} or {@code "epoch"}. */
  String type();

  /** Returns this line as one line of JSON, its type first. */
  default String toJson() {
    return Json.writeTyped(type(), this);
  }

  /**
   * Reads a line of any kind; unknown fields are ignored.
   *
   * @param json the JSON text, possibly null (a Kafka tombstone)
   * @return the line
   * @throws MalformedJsonException if the text is not JSON, its type is unknown, or it is not a
   *     valid line of its type
   */
  static MetricsLine parse(String json) {
    JsonNode tree = Json.readObject(json, "metrics line");
    String name = typeOf(tree);
    return switch (name) {
      case MetricsRecord.TYPE -> Json.read(tree, MetricsRecord.class);
      case LossRecord.TYPE -> Json.read(tree, LossRecord.class);
      case RunRecord.TYPE -> RunRecord.read(tree);
      default -> throw new MalformedJsonException("Malformed metrics line JSON: unknown type '"
          + name + "' (expected run, loss or epoch)", null);
    };
  }

  /** The type of a line read by {@link Json#readObject}: its {@code "type"}, or epoch without. */
  static String typeOf(JsonNode tree) {
    JsonNode type = tree.get(TYPE_FIELD);
    return type == null || type.isNull() ? MetricsRecord.TYPE : type.asText();
  }
}
