package dev.backstream.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.model.ModelFile;
import dev.backstream.coordinator.training.Evaluator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * numpy reads our model file with {@code allow_pickle=False} and, with the book's predict and none
 * of our code ({@code bench/numpy_model.py}), gets the test accuracy our Java evaluation gets; and
 * we read back what numpy writes. Skipped where python3 has no numpy.
 */
class NumpyModelTest {
  private static final String PYTHON = "python3";

  @TempDir Path dir;

  @BeforeAll
  static void needsNumpy() {
    String why;
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      boolean done = p.waitFor(60, TimeUnit.SECONDS);
      why = done && p.exitValue() == 0 ? null : "'" + PYTHON + " -c \"import numpy\"' failed";
    } catch (IOException e) {
      why = "no " + PYTHON + " on the PATH (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      why = "interrupted";
    }
    Assumptions.assumeTrue(why == null, "numpy is not available: " + why);
  }

  @Test
  void numpyGetsTheJavaTestAccuracyAndTheSameSha() throws Exception {
    ModelFile model = ModelFile.read(SubsetModel.model());
    double javaAccuracy = Evaluator.accuracy(model.parameters(), model.activation(),
        TestDatasets.mnistSubset().test());
    Path resaved = dir.resolve("resaved.npz");

    JsonNode numpy = runScript(SubsetModel.model(), "--data", SubsetModel.data().toString(),
        "--resave", resaved.toString());

    assertThat(numpy.get("total").asInt()).isEqualTo(TestDatasets.SUBSET_TEST);
    assertThat(numpy.get("accuracy").asDouble()).isEqualTo(javaAccuracy).isGreaterThan(0.8);
    assertThat(numpy.get("computedSha256").asText()).isEqualTo(model.paramsSha256());
    assertThat(numpy.get("paramsSha256").asText()).isEqualTo(model.paramsSha256());
    assertThat(numpy.get("activation").asText()).isEqualTo("relu");
    assertThat(numpy.get("shapes").toString()).isEqualTo("[[784,50],[50],[50,10],[10]]");
    assertThat(numpy.get("settings").get("steps").asText())
        .isEqualTo(String.valueOf(SubsetModel.STEPS));
    // numpy.savez_compressed's own file: its headers and zip, our reader, the same model.
    assertThat(ModelFile.read(resaved)).isEqualTo(model);
  }

  private static JsonNode runScript(Path model, String... args)
      throws IOException, InterruptedException, URISyntaxException {
    // From target/classes, where numpy_model.py sits beside the numpy_gradient.py it imports.
    Path script = Path.of(NumpyModelTest.class
        .getResource("/dev/backstream/cli/bench/numpy_model.py").toURI());
    List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), model.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("numpy_model.py finished").isTrue();
    assertThat(p.exitValue()).as("numpy_model.py: %s", output).isZero();
    return new ObjectMapper().readTree(output);
  }
}
