package dev.backstream.cli.options;

import dev.backstream.cli.base.UserException;
import dev.backstream.common.kafka.InvalidBootstrapException;
import dev.backstream.common.kafka.InvalidClientSettingException;
import dev.backstream.common.kafka.KafkaSettings;
import java.nio.file.Path;

/**
 * A {@code --kafka-config} file of Kafka client properties, read and checked by {@link
 * KafkaSettings}, with every refusal as one usage line that names the file, the setting and what
 * would be right. Every command that takes the option reads it through here.
 *
 * @param file the properties file, or null (or blank, as compose passes an unset variable on)
 *     for none
 */
public record KafkaConfigFile(Path file) {

  /** Whether a file was given. */
  public boolean given() {
    return file != null && !file.toString().isBlank();
  }

  /**
   * Client settings for {@code bootstrap} with the file's properties, not yet validated: for a
   * command that adds settings of its own before {@link #validated}.
   *
   * @throws UserException (exit 2) if the file cannot be read
   */
  public KafkaSettings load(String bootstrap) {
    try {
      return given() ? KafkaSettings.load(bootstrap, file) : KafkaSettings.of(bootstrap);
    } catch (IllegalArgumentException e) {
      throw invalidConfig(e);
    }
  }

  /**
   * {@code settings}, checked as far as can be without connecting.
   *
   * @throws UserException (exit 2) if a setting or the bootstrap servers would be refused by
   *     Kafka's clients, naming the setting and this file
   */
  public KafkaSettings validated(KafkaSettings settings) {
    try {
      settings.validate();
    } catch (InvalidBootstrapException e) {
      throw UserException.usage("Invalid value '" + e.bootstrapServers() + "' for --bootstrap: "
          + e.getMessage());
    } catch (InvalidClientSettingException e) {
      throw invalidSetting(e.key(), e.value(), e.getMessage());
    } catch (IllegalArgumentException e) {
      throw invalidConfig(e);
    }
    return settings;
  }

  /**
   * One "Invalid value" (or "Missing") line naming the property, this file and what is right.
   *
   * @param value the value as given, or null for a missing property
   */
  public UserException invalidSetting(String key, String value, String reason) {
    String where = given() ? " in --kafka-config " + file : "";
    if (value == null) {
      return UserException.usage("Missing " + key + where + ": " + reason);
    }
    return UserException.usage("Invalid value '" + value + "' for " + key + where + ": " + reason);
  }

  private UserException invalidConfig(IllegalArgumentException e) {
    String source = given() ? "'" + file + "' for --kafka-config" : "Kafka client setting";
    return UserException.usage("Invalid value " + source + ": " + e.getMessage());
  }
}
