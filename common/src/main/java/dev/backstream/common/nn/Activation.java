package dev.backstream.common.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
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
    return parse(values(), Activation::id, "--activation", text);
  }

  /**
   * The constant of {@code values} whose {@code id} is {@code text}: the parser of every option
   * that names an enum constant.
   *
   * @throws IllegalArgumentException naming the option, the bad value and the accepted ones
   */
  static <E extends Enum<E>> E parse(E[] values, Function<E, String> id, String option, String text) {
    for (E e : values) {
      if (id.apply(e).equals(text)) {
        return e;
      }
    }
    String known = Arrays.stream(values).map(id).collect(Collectors.joining(", "));
    throw new IllegalArgumentException(
        "Invalid value '" + text + "' for " + option + ": must be one of " + known);
  }

  /** Creates a fresh layer for this activation. */
  Layer newLayer() {
    return this == RELU ? new Relu() : new Sigmoid();
  }
}
