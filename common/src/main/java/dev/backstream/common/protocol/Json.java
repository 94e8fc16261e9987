package dev.backstream.common.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads and writes backstream's JSON records with one shared, immutable Jackson configuration.
 *
 * <p>Reading is lenient where versions differ and strict where data is wrong:
 * <ul>
 *   <li>unknown fields are ignored, so an older reader accepts a newer writer's records;</li>
 *   <li>a missing or null field takes its type's default (0, false, null), so a newer reader
 *       accepts an older writer's records, and the record's constructor decides whether that is
 *       acceptable (a missing {@code run} is not);</li>
 *   <li>text that is not JSON, text after the object, or a value of the wrong type fails.</li>
 * </ul>
 * Non-finite doubles are written as the strings {@code "NaN"}, {@code "Infinity"} and
 * {@code "-Infinity"} (so {@code jq} still parses a diverged run's metrics) and read back.
 * Thread-safe.
 */
public final class Json {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private Json() {}

  /**
   * Writes a value as one line of JSON.
   *
   * @param value a record of this package; not modified
   * @return the JSON text
   * @throws IllegalStateException if Jackson cannot serialise the type (a programming error)
   */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName()
          + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads a value from JSON.
   *
   * @param json the JSON text, possibly null (a Kafka tombstone)
   * @param type the record type
   * @param <T> the record type
   * @return the value
   * @throws MalformedJsonException if {@code json} is null, not JSON, or not a valid {@code type}
   */
  public static <T> T read(String json, Class<T> type) {
    if (json == null) {
      throw new MalformedJsonException("Malformed " + type.getSimpleName() + " JSON: no text (null)",
          null);
    }
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw malformed(type, e);
    }
  }

  /**
   * Writes a value as one line of JSON whose first field is {@code "type": type}, so that readers
   * of a topic carrying several kinds of record can tell them apart ({@link MetricsLine}).
   *
   * @param type the discriminator's value
   * @param value a record of this package; not modified
   * @return the JSON text
   */
  public static String writeTyped(String type, Object value) {
    ObjectNode node = MAPPER.createObjectNode().put(MetricsLine.TYPE_FIELD, type);
    node.setAll((ObjectNode) MAPPER.valueToTree(value));
    return write(node);
  }

  /**
   * Reads one JSON object as a tree, for readers that look at a field before choosing the type.
   *
   * @param json the JSON text, possibly null
   * @param what names the record in the exception's message
   * @return the object
   * @throws MalformedJsonException if {@code json} is null, not JSON or not an object
   */
  public static JsonNode readObject(String json, String what) {
    if (json == null) {
      throw new MalformedJsonException("Malformed " + what + " JSON: no text (null)", null);
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MalformedJsonException("Malformed " + what + " JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new MalformedJsonException("Malformed " + what + " JSON: not an object", null);
    }
    return node;
  }

  /**
   * Reads a value from a tree that {@link #readObject} returned.
   *
   * @throws MalformedJsonException if the tree is not a valid {@code type}
   */
  public static <T> T read(JsonNode tree, Class<T> type) {
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw malformed(type, e);
    }
  }

  private static MalformedJsonException malformed(Class<?> type, Exception e) {
    Throwable root = e.getCause() instanceof IllegalArgumentException
        || e.getCause() instanceof NullPointerException ? e.getCause() : null;
    String why = root != null ? root.getMessage()
        : e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    return new MalformedJsonException("Malformed " + type.getSimpleName() + " JSON: " + why, e);
  }
}
