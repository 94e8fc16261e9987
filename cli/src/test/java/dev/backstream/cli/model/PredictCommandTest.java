package dev.backstream.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.testing.Cli;
import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.model.ModelFile;
import dev.backstream.common.nn.Batches;
import dev.backstream.common.nn.TwoLayerNet;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code train --save-model} and {@code predict} as a user meets them. */
class PredictCommandTest {
  private static final LabeledImages TEST = TestDatasets.mnistSubset().test();

  @TempDir Path dir;

  private final Cli cli = new Cli();

  private int run(String... args) {
    return cli.run(args);
  }

  private String predict(String... args) {
    cli.clear();
    String[] all = new String[args.length + 4];
    all[0] = "predict";
    all[1] = "--model";
    all[2] = SubsetModel.model().toString();
    all[3] = "--data=" + SubsetModel.data();
    System.arraycopy(args, 0, all, 4, args.length);
    assertThat(run(all)).as("predict %s: %s", Arrays.toString(args), cli.err()).isZero();
    return cli.out();
  }

  /** The digit of predict's second line, "digit 7 (probability 0.9910)". */
  private static int digit(String output) {
    return Integer.parseInt(output.lines().skip(1).findFirst().orElseThrow().split(" ")[1]);
  }

  @Test
  void saveModelWritesTheModelTheSummaryNames() throws Exception {
    JsonNode summary = new ObjectMapper().readTree(SubsetModel.summary().toFile());
    ModelFile model = ModelFile.read(SubsetModel.model());
    assertThat(model.paramsSha256()).isEqualTo(summary.get("paramsSha256").asText());
    assertThat(model.settings()).containsEntry("steps", String.valueOf(SubsetModel.STEPS))
        .containsEntry("lr", "0.1").containsEntry("seed", "0").containsEntry("mode", "local")
        .containsEntry("testAccuracy", summary.get("testAccuracy").asText())
        .containsKeys("weightInitStd", "backstream", "java", "os", "arch");
  }

  @Test
  void indexNamesTheDigitsOfTheFirstTenTestImages() {
    StringBuilder digits = new StringBuilder();
    StringBuilder labels = new StringBuilder();
    for (int k = 0; k < 10; k++) {
      String output = predict("--index", String.valueOf(k));
      assertThat(output).startsWith("test image " + k + " of mnist, labelled " + TEST.label(k));
      assertThat(output.lines().filter(l -> l.startsWith("  "))).hasSize(10);
      digits.append(digit(output));
      labels.append(TEST.label(k));
    }
    assertThat(labels).hasToString("7210414959");
    // the digits of the model's own scores, taken in one batch, as the highest of ten
    assertThat(digits).hasToString(scoredDigits(10));
    // Test image 8 is an odd 5 that most models call a 6 (the book's loop with 8 of 10 seeds,
    // this subset's model too); the other nine are right.
    long right = 0;
    for (int k = 0; k < 10; k++) {
      right += digits.charAt(k) - '0' == TEST.label(k) ? 1 : 0;
    }
    assertThat(right).as("first ten right: %s against %s", digits, labels).isGreaterThanOrEqualTo(9);
  }

  /** The highest-scoring class of each of the first {@code n} test images, under the model. */
  private static String scoredDigits(int n) {
    ModelFile m = ModelFile.read(SubsetModel.model());
    DMatrixRMaj scores = new TwoLayerNet(m.parameters(), m.activation())
        .predict(Batches.inputs(TEST, Batches.range(0, n), 0, n));
    StringBuilder digits = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int c = 1; c < scores.numCols; c++) {
        best = scores.get(i, c) > scores.get(i, best) ? c : best;
      }
      digits.append(best);
    }
    return digits.toString();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 7})
  void aGreyPngOfATestImageGetsTheSameProbabilitiesAsItsIndex(int k) throws Exception {
    Path png = dir.resolve("digit-" + k + ".png");
    ImageIO.write(image(k, 1, false), "png", png.toFile());

    String fromFile = predict(png.toString());
    String fromIndex = predict("--index", String.valueOf(k));

    assertThat(fromFile).startsWith(png + " (28x28, scaled to 28x28)");
    assertThat(fromFile.lines().skip(1)).containsExactlyElementsOf(fromIndex.lines().skip(1).toList());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 7})
  void aLargerColourPngGetsTheSameDigit(int k) throws Exception {
    Path png = dir.resolve("digit-" + k + "-colour.png");
    ImageIO.write(image(k, 2, true), "png", png.toFile());

    String fromFile = predict(png.toString());

    assertThat(fromFile).startsWith(png + " (56x56, scaled to 28x28)");
    assertThat(digit(fromFile)).isEqualTo(TEST.label(k));
  }

  @Test
  void aDarkDigitOnLightGetsANoteAndInvertReadsIt() throws Exception {
    BufferedImage light = image(0, 1, false);
    var raster = light.getRaster();
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        raster.setSample(x, y, 0, 255 - raster.getSample(x, y, 0));
      }
    }
    Path png = dir.resolve("paper.png");
    ImageIO.write(light, "png", png.toFile());

    predict(png.toString());
    assertThat(cli.err()).contains("is mostly light").contains("add --invert");

    assertThat(predict("--invert", png.toString()).lines().skip(1))
        .containsExactlyElementsOf(predict("--index", "0").lines().skip(1).toList());
  }

  /** Test image k, each pixel a {@code scale x scale} block; in colour, an orange stroke. */
  private static BufferedImage image(int k, int scale, boolean colour) {
    int side = 28 * scale;
    BufferedImage img = new BufferedImage(side, side,
        colour ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int v = TEST.pixel(k, (y / scale) * 28 + x / scale);
        if (colour) {
          img.setRGB(x, y, v << 16 | (v * 3 / 4) << 8 | v / 4);
        } else {
          img.getRaster().setSample(x, y, 0, v);
        }
      }
    }
    return img;
  }

  @Test
  void badFilesGetOneLineAndTheRightExitCode() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
    Path cut = dir.resolve("cut.png");
    ImageIO.write(image(0, 1, false), "png", cut.toFile());
    Files.write(cut, Arrays.copyOf(Files.readAllBytes(cut), 60));
    String model = SubsetModel.model().toString();

    expect(ExitCodes.USAGE, dir + "/missing.png: no such file",
        "predict", "--model", model, dir.resolve("missing.png").toString());
    expect(ExitCodes.FAILURE, text + ": is not an image (PNG, JPEG, GIF or BMP)",
        "predict", "--model", model, text.toString());
    expect(ExitCodes.FAILURE, cut + ": cannot be read as an image",
        "predict", "--model", model, cut.toString());
    expect(ExitCodes.USAGE, dir + "/none.npz: no such file (--model)",
        "predict", "--model", dir.resolve("none.npz").toString(), "--index", "0");
    expect(ExitCodes.FAILURE, text + ": is not an .npz file (not a zip archive)",
        "predict", "--model", text.toString(), "--index", "0");
  }

  @Test
  void badArgumentsGetOneLineAndExitCodeTwo() {
    String model = SubsetModel.model().toString();
    String data = "--data=" + SubsetModel.data();
    expect(ExitCodes.USAGE, "Give an IMAGE file or --index N (one of them)",
        "predict", "--model", model, data);
    expect(ExitCodes.USAGE, "Give an IMAGE file or --index N (one of them)",
        "predict", "--model", model, data, "--index", "1", "x.png");
    expect(ExitCodes.USAGE, "Invalid value 500 for --index: must be in [0, 499] (the test images of mnist)",
        "predict", "--model", model, data, "--index", "500");
    expect(ExitCodes.USAGE, "--invert applies to an IMAGE file, not to --index",
        "predict", "--model", model, data, "--index", "1", "--invert");
  }

  /** Exit code {@code code} and one line on stderr (log warnings aside) that starts with message. */
  private void expect(int code, String message, String... args) {
    cli.clear();
    assertThat(run(args)).as("%s: %s", Arrays.toString(args), cli.err()).isEqualTo(code);
    assertThat(cli.err().lines().filter(l -> !l.contains(" WARN ")).toList())
        .singleElement().asString().startsWith("backstream: " + message);
  }
}
