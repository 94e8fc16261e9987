package dev.backstream.common.model;

import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.Parameters;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A trained model as it is kept in a file: the network's shape and activation, the run's
 * settings, and the flat parameter vector with its SHA-256 (the {@code paramsSha256} a training
 * run prints).
 *
 * <p>On disk it is numpy's {@code .npz} ({@link ModelArrays} has the layout): {@code W1} (input x
 * hidden), {@code b1} (hidden,), {@code W2} (hidden x output), {@code b2} (output,) as float64 in
 * C order, the exact views of {@link Parameters}; and the strings {@code activation}, {@code
 * paramsSha256}, {@code settings} (a JSON object) and {@code format}. {@link #read} gives back the
 * bits {@link #write} wrote.
 *
 * <p>Immutable: the parameters and settings are copied in and out.
 *
 * @param shape the network's sizes; {@code params} has {@code shape.parameterCount()} values
 * @param activation the hidden layer's activation
 * @param settings how the model was made (training settings, results, provenance), in order
 * @param params the flat parameter vector, laid out as {@link NetShape} says
 * @param paramsSha256 lower-case hex SHA-256 of {@code params}' little-endian bytes
 */
public record ModelFile(NetShape shape, Activation activation, Map<String, String> settings,
    double[] params, String paramsSha256) {

  /** Checks that the parameters fit the shape and match their SHA-256; copies what is mutable. */
  public ModelFile {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(activation, "activation");
    params = Parameters.copyOf(shape, params).values();
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    String actual = Parameters.sha256(params);
    if (!actual.equals(paramsSha256)) {
      throw new IllegalArgumentException("the parameters' SHA-256 is " + actual
          + ", not the paramsSha256 given (" + paramsSha256 + ")");
    }
  }

  /**
   * A model of {@code params}, its SHA-256 computed here. Not modified: params, settings.
   *
   * @param settings written as given, in order; see {@link #platform()} for provenance to add
   */
  public static ModelFile of(NetShape shape, Activation activation, Map<String, String> settings,
      double[] params) {
    return new ModelFile(shape, activation, settings, params, Parameters.sha256(params));
  }

  /** A model of {@code params}' current values. Not modified: params, settings. */
  public static ModelFile of(Parameters params, Activation activation,
      Map<String, String> settings) {
    return of(params.shape(), activation, settings, params.values());
  }

  /**
   * Where this JVM runs, for a model's provenance: {@code java}, {@code os} and {@code arch}.
   * (The platform can matter: {@code Math} and {@code StrictMath} may differ between them.)
   */
  public static Map<String, String> platform() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("java", System.getProperty("java.version"));
    p.put("os", System.getProperty("os.name"));
    p.put("arch", System.getProperty("os.arch"));
    return p;
  }

  /**
   * Reads a model file and checks it: every array present with its dtype and shape, a known
   * activation, and parameters that match {@code paramsSha256}.
   *
   * @throws ModelFileException one line naming the file and what is wrong
   */
  public static ModelFile read(Path file) {
    return ModelArrays.fromArrays(file.toString(), NpzReader.read(file));
  }

  /**
   * Writes this model to {@code file} atomically, replacing it.
   *
   * @throws ModelFileException naming the file if it cannot be written
   */
  public void write(Path file) {
    NpzWriter.write(file, ModelArrays.toArrays(this));
  }

  /** A copy of the parameter vector. */
  @Override
  public double[] params() {
    return params.clone();
  }

  /** The parameters as a new {@link Parameters}, for a {@code TwoLayerNet}. */
  public Parameters parameters() {
    return Parameters.copyOf(shape, params);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelFile m && shape.equals(m.shape) && activation == m.activation
        && settings.equals(m.settings) && Arrays.equals(params, m.params);
  }

  @Override
  public int hashCode() {
    return Objects.hash(shape, activation, settings, Arrays.hashCode(params));
  }

  @Override
  public String toString() {
    return "ModelFile[" + shape.input() + "-" + shape.hidden() + "-" + shape.output() + " "
        + activation.id() + ", sha256=" + paramsSha256.substring(0, Math.min(12,
        paramsSha256.length())) + "]";
  }
}
