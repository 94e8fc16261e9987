package dev.backstream.common.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

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
      Throwable root = e.getCause() instanceof IllegalArgumentException
          || e.getCause() instanceof NullPointerException ? e.getCause() : null;
      String why = root != null ? root.getMessage() : e.getOriginalMessage();
      throw new MalformedJsonException("Malformed " + type.getSimpleName() + " JSON: " + why, e);
    }
  }
}
