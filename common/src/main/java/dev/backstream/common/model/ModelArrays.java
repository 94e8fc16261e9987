package dev.backstream.common.model;

import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.ParamBlock;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.protocol.Json;
import dev.backstream.common.protocol.MalformedJsonException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link ModelFile} as named numpy arrays and back: the layout of the {@code .npz}.
 *
 * <p>Each parameter block is its own array, shaped as numpy code of the book expects ({@code x @
 * W1 + b1}): weights 2-d, biases 1-d. The strings are 0-d unicode arrays ({@code str(z['activation'])}
 * in numpy); {@code settings} is a JSON object of strings ({@code json.loads(str(z['settings']))}).
 */
final class ModelArrays {
  /** Names this layout; a reader refuses any other, so a future layout cannot be misread. */
  static final String FORMAT = "backstream-model/1";

  private ModelArrays() {}

  static Map<String, NpyArray> toArrays(ModelFile model) {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    double[] params = model.params();
    for (ParamBlock b : model.shape().blocks()) {
      arrays.put(b.name(), NpyArray.ofDoubles(dims(b), Arrays.copyOfRange(params, b.offset(), b.end())));
    }
    arrays.put("activation", NpyArray.ofString(model.activation().id()));
    arrays.put("paramsSha256", NpyArray.ofString(model.paramsSha256()));
    arrays.put("settings", NpyArray.ofString(Json.write(model.settings())));
    arrays.put("format", NpyArray.ofString(FORMAT));
    return arrays;
  }

  /** The numpy shape of a block: biases are vectors, weights matrices. */
  private static int[] dims(ParamBlock b) {
    return b.name().startsWith("b") ? new int[] {b.cols()} : new int[] {b.rows(), b.cols()};
  }

  static ModelFile fromArrays(String file, Map<String, NpyArray> arrays) {
    String format = string(file, arrays, "format");
    if (!FORMAT.equals(format)) {
      throw new ModelFileException(file, "format '" + format + "' is not " + FORMAT
          + ": written by another backstream version?");
    }
    int[] w1 = float64(file, arrays, "W1").shape();
    int[] w2 = float64(file, arrays, "W2").shape();
    if (w1.length != 2 || w2.length != 2) {
      throw new ModelFileException(file, "W1 has shape " + NpyArray.shapeText(w1) + " and W2 "
          + NpyArray.shapeText(w2) + ": both must be 2-d");
    }
    NetShape shape;
    try {
      shape = new NetShape(w1[0], w1[1], w2[1]);
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(file, "W1 " + NpyArray.shapeText(w1) + ", W2 "
          + NpyArray.shapeText(w2) + ": " + e.getMessage(), e);
    }
    double[] params = new double[shape.parameterCount()];
    for (ParamBlock b : shape.blocks()) {
      NpyArray a = float64(file, arrays, b.name());
      if (!Arrays.equals(a.shape(), dims(b))) {
        throw new ModelFileException(file, b.name() + " has shape " + NpyArray.shapeText(a.shape())
            + ": must be " + NpyArray.shapeText(dims(b)) + " to fit W1 " + NpyArray.shapeText(w1)
            + " and W2 " + NpyArray.shapeText(w2));
      }
      System.arraycopy(a.doubles(), 0, params, b.offset(), b.size());
    }
    String sha = string(file, arrays, "paramsSha256");
    String actual = Parameters.sha256(params);
    if (!actual.equals(sha)) {
      throw new ModelFileException(file, "the parameters' SHA-256 is " + actual
          + ", not the paramsSha256 " + sha + " written with them: the file was changed or damaged");
    }
    return new ModelFile(shape, activation(file, arrays), settings(file, arrays), params, sha);
  }

  private static Activation activation(String file, Map<String, NpyArray> arrays) {
    String id = string(file, arrays, "activation");
    try {
      return Activation.parse(id);
    } catch (IllegalArgumentException e) {
      throw new ModelFileException(file, "activation '" + id + "' is not one of "
          + Arrays.stream(Activation.values()).map(Activation::id).toList(), e);
    }
  }

  private static Map<String, String> settings(String file, Map<String, NpyArray> arrays) {
    Map<?, ?> json;
    try {
      json = Json.read(string(file, arrays, "settings"), Map.class);
    } catch (MalformedJsonException e) {
      throw new ModelFileException(file, "settings: " + e.getMessage(), e);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    json.forEach((k, v) -> settings.put(String.valueOf(k), String.valueOf(v)));
    return settings;
  }

  private static NpyArray array(String file, Map<String, NpyArray> arrays, String name) {
    NpyArray a = arrays.get(name);
    if (a == null) {
      String held = arrays.isEmpty() ? "no arrays" : "only " + String.join(", ", arrays.keySet());
      throw new ModelFileException(file, "has no array '" + name + "' (it holds " + held
          + "): not a backstream model file");
    }
    return a;
  }

  private static NpyArray float64(String file, Map<String, NpyArray> arrays, String name) {
    NpyArray a = array(file, arrays, name);
    if (!a.isFloat64()) {
      throw new ModelFileException(file, name + " has dtype '" + a.descr()
          + "': must be float64 ('<f8')");
    }
    return a;
  }

  private static String string(String file, Map<String, NpyArray> arrays, String name) {
    NpyArray a = array(file, arrays, name);
    if (a.isFloat64() || a.count() != 1) {
      throw new ModelFileException(file, name + " has dtype '" + a.descr() + "' and shape "
          + NpyArray.shapeText(a.shape()) + ": must be one string");
    }
    try {
      return a.string();
    } catch (IllegalStateException e) {
      throw new ModelFileException(file, name + ": " + e.getMessage(), e);
    }
  }
}
