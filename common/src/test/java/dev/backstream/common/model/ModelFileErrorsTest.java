package dev.backstream.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.NetShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every broken model file gets one line that starts with the file and says what is wrong. */
class ModelFileErrorsTest {
  private static final NetShape SHAPE = new NetShape(3, 2, 4);

  @TempDir Path dir;

  private String readError(Path file) {
    ModelFileException e = catchThrowableOfType(() -> ModelFile.read(file), ModelFileException.class);
    assertThat(e).as("reading %s", file).isNotNull();
    assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
    assertThat(e.file()).isEqualTo(file.toString());
    return e.problem();
  }

  /** A good model's arrays, changed by {@code edit}, written as an .npz. */
  private Path edited(UnaryOperator<Map<String, NpyArray>> edit) {
    double[] v = new double[SHAPE.parameterCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = i / 10.0;
    }
    ModelFile model = ModelFile.of(SHAPE, Activation.RELU, Map.of("seed", "0"), v);
    Path file = dir.resolve("edited.npz");
    NpzWriter.write(file, edit.apply(new LinkedHashMap<>(ModelArrays.toArrays(model))));
    return file;
  }

  @Test
  void missingFile() {
    assertThat(readError(dir.resolve("nope.npz"))).isEqualTo("no such file");
  }

  @Test
  void folder() {
    assertThat(readError(dir)).isEqualTo("is a folder, not an .npz file");
  }

  @Test
  void notAZip() throws Exception {
    Path file = Files.writeString(dir.resolve("model.npz"), "just text");
    assertThat(readError(file)).isEqualTo("is not an .npz file (not a zip archive)");
  }

  @Test
  void missingArray() {
    Path file = edited(a -> {
      a.remove("W2");
      return a;
    });
    assertThat(readError(file)).startsWith("has no array 'W2' (it holds only W1, b1, b2,");
  }

  @Test
  void wrongDtype() {
    Path file = edited(a -> {
      a.put("b1", NpyArray.ofString("0.5"));
      return a;
    });
    assertThat(readError(file)).isEqualTo("b1 has dtype '<U3': must be float64 ('<f8')");
  }

  @Test
  void wrongShape() {
    Path file = edited(a -> {
      a.put("b2", NpyArray.ofDoubles(new int[] {1, 4}, new double[4]));
      return a;
    });
    assertThat(readError(file))
        .isEqualTo("b2 has shape (1, 4): must be (4,) to fit W1 (3, 2) and W2 (2, 4)");
  }

  @Test
  void changedParameters() {
    Path file = edited(a -> {
      double[] w1 = a.get("W1").doubles();
      w1[3] = Math.nextUp(w1[3]);
      a.put("W1", NpyArray.ofDoubles(new int[] {3, 2}, w1));
      return a;
    });
    assertThat(readError(file)).contains("the parameters' SHA-256 is ")
        .endsWith("written with them: the file was changed or damaged");
  }

  @Test
  void unknownActivationAndFormat() {
    assertThat(readError(edited(a -> {
      a.put("activation", NpyArray.ofString("tanh"));
      return a;
    }))).isEqualTo("activation 'tanh' is not one of [relu, sigmoid]");
    assertThat(readError(edited(a -> {
      a.put("format", NpyArray.ofString("backstream-model/9"));
      return a;
    }))).startsWith("format 'backstream-model/9' is not backstream-model/1");
  }

  @Test
  void brokenNpyEntry() {
    Path file = edited(a -> {
      a.put("W1", new NpyArray("<f8", new int[] {0}, new byte[0]));
      return a;
    });
    assertThat(readError(file)).startsWith("W1 has shape (0,) and W2 (2, 4): both must be 2-d");
  }
}
