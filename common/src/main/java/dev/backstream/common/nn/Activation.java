package dev.backstream.common.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The hidden layer's activation function. */
public enum Activation {
  /** Rectified linear unit, the book's choice for the two-layer network. */
  RELU,
  /** Logistic sigmoid. */
  SIGMOID;

  /** The name used on the command line and in run settings. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a command-line name.
   *
   * @throws IllegalArgumentException naming the bad value and the accepted ones
   */
  public static Activation parse(String text) {
    for (Activation a : values()) {
      if (a.id().equals(text)) {
        return a;
      }
    }
    String known = Arrays.stream(values()).map(Activation::id).collect(Collectors.joining(", "));
    throw new IllegalArgumentException(
        "Invalid value '" + text + "' for --activation: must be one of " + known);
  }

  /** Creates a fresh layer for this activation. */
  Layer newLayer() {
    return this == RELU ? new Relu() : new Sigmoid();
  }
}
