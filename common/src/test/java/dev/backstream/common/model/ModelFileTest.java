package dev.backstream.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.ParamBlock;
import dev.backstream.common.nn.Parameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model file round-trips bit for bit, keeps numpy's layout, and says what is wrong with it. */
class ModelFileTest {
  private static final Map<String, String> SETTINGS =
      Map.of("dataset", "mnist", "steps", "10000", "lr", "0.1", "note", "ünïcode € 😀");

  @TempDir Path dir;

  /** Book-sized parameters with the doubles a careless writer would lose. */
  private static Parameters awkwardParameters() {
    Parameters p = Parameters.initial(NetShape.MNIST, 0.01, 7);
    double[] v = p.values();
    v[0] = -0.0;
    v[1] = Double.MIN_VALUE;
    v[2] = Double.longBitsToDouble(0x7ff8_0000_dead_beefL); // a NaN with a payload
    v[3] = Double.NEGATIVE_INFINITY;
    v[v.length - 1] = Double.MAX_VALUE;
    return p;
  }

  @Test
  void roundTripsBitForBit() {
    Parameters params = awkwardParameters();
    ModelFile model = ModelFile.of(params, Activation.SIGMOID, SETTINGS);
    Path file = dir.resolve("model.npz");

    model.write(file);
    ModelFile back = ModelFile.read(file);

    assertThat(back).isEqualTo(model);
    assertThat(back.paramsSha256()).isEqualTo(params.sha256());
    assertThat(back.parameters().sha256()).isEqualTo(params.sha256());
    assertThat(back.parameters().toLittleEndianBytes()).isEqualTo(params.toLittleEndianBytes());
    assertThat(back.shape()).isEqualTo(NetShape.MNIST);
    assertThat(back.activation()).isEqualTo(Activation.SIGMOID);
    assertThat(back.settings()).isEqualTo(SETTINGS);
  }

  @Test
  void sameModelSameBytes() throws Exception {
    ModelFile model = ModelFile.of(awkwardParameters(), Activation.RELU, SETTINGS);
    model.write(dir.resolve("a.npz"));
    model.write(dir.resolve("b.npz"));
    assertThat(Files.readAllBytes(dir.resolve("a.npz")))
        .isEqualTo(Files.readAllBytes(dir.resolve("b.npz")));
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).as("no temporary file left")
          .containsExactlyInAnyOrder("a.npz", "b.npz");
    }
  }

  @Test
  void blocksAreNumpyArraysInTheRowMajorLayoutOfParameters() {
    NetShape shape = new NetShape(3, 2, 4);
    double[] v = new double[shape.parameterCount()];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    Path file = dir.resolve("small.npz");
    ModelFile.of(shape, Activation.RELU, Map.of(), v).write(file);

    Map<String, NpyArray> arrays = NpzReader.read(file);

    assertThat(arrays).containsOnlyKeys("W1", "b1", "W2", "b2", "activation", "paramsSha256",
        "settings", "format");
    assertThat(arrays.get("W1").shape()).containsExactly(3, 2);
    assertThat(arrays.get("b1").shape()).containsExactly(2);
    assertThat(arrays.get("W2").shape()).containsExactly(2, 4);
    assertThat(arrays.get("b2").shape()).containsExactly(4);
    // W1[1][0] is the first weight from input 1: element 1 * hidden + 0 of the flat vector.
    assertThat(arrays.get("W1").doubles()).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(arrays.get("b1").doubles()).containsExactly(6, 7);
    assertThat(arrays.get("W2").doubles()[1 * 4 + 3]).isEqualTo(v[shape.w2Offset() + 7]);
    for (ParamBlock b : shape.blocks()) {
      assertThat(arrays.get(b.name()).descr()).isEqualTo("<f8");
    }
    assertThat(arrays.get("activation").string()).isEqualTo("relu");
    assertThat(arrays.get("paramsSha256").string()).isEqualTo(Parameters.sha256(v));
    assertThat(arrays.get("format").string()).isEqualTo("backstream-model/1");
  }

  @Test
  void refusesParametersThatDoNotFitTheShapeOrTheirSha() {
    NetShape shape = new NetShape(3, 2, 4);
    assertThatThrownBy(() -> ModelFile.of(shape, Activation.RELU, Map.of(), new double[5]))
        .hasMessageContaining("5 values").hasMessageContaining("must be 20");
    double[] v = new double[shape.parameterCount()];
    assertThatThrownBy(() -> new ModelFile(shape, Activation.RELU, Map.of(), v, "abc"))
        .hasMessageContaining("not the paramsSha256 given (abc)");
  }

  @Test
  void keepsNoReferenceToTheCallersArrays() {
    NetShape shape = new NetShape(3, 2, 4);
    double[] v = new double[shape.parameterCount()];
    Map<String, String> settings = new LinkedHashMap<>(Map.of("a", "1"));
    ModelFile model = ModelFile.of(shape, Activation.RELU, settings, v);
    v[0] = 1;
    settings.put("b", "2");
    model.params()[1] = 1;
    assertThat(model.params()).containsOnly(0.0);
    assertThat(model.settings()).containsOnlyKeys("a");
  }
}
