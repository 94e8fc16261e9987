package dev.backstream.common.kafka;

/**
 * A Kafka client property that the clients would refuse, with Kafka's reason reworded: the key,
 * the value as given and what would be right, each once and without Java type names.
 */
public final class InvalidClientSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String value;

  InvalidClientSettingException(String key, String value, String reason) {
    super(reason);
    this.key = key;
    this.value = value;
  }

  /** The property's key, e.g. {@code security.protocol}. */
  public String key() {
    return key;
  }

  /** The property's value as given, or null when the property is missing. */
  public String value() {
    return value;
  }
}
