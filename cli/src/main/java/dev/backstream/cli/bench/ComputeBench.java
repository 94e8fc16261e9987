package dev.backstream.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.options.DatasetOptions;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Batches;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.training.ShardKernel;
import dev.backstream.common.training.ShardRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Times one full gradient (forward and backward, batch 100, one thread) with our kernel and, where
 * python3 with numpy exists, the book's numpy computation on the same images in the same run.
 */
@Command(
    name = "compute",
    mixinStandardHelpOptions = true,
    description = "Median time of one gradient of a batch on one thread, against numpy.")
public final class ComputeBench implements Callable<Integer> {
  /** The target for the Java/numpy ratio. */
  static final double TARGET_RATIO = 0.5;

  @Spec CommandSpec spec;

  @Mixin DatasetOptions data;

  @Option(names = "--repeat", defaultValue = "500", description = "Timed runs (default: 500).")
  int repeat;

  @Option(names = "--batch", defaultValue = "100", description = "Images per gradient (default: 100).")
  int batch;

  @Option(names = "--python", defaultValue = "python3", description = "Python with numpy (default: python3).")
  String python;

  @Override
  public Integer call() throws InterruptedException {
    if (repeat < 1 || batch < 1) {
      throw UserException.usage("Invalid value for --repeat or --batch: both must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    Dataset dataset = data.load();
    if (batch > dataset.train().count()) {
      throw UserException.usage("Invalid value " + batch + " for --batch: must be at most " + dataset.train().count());
    }
    out.printf("gradient of a batch of %d (%d-50-10, ReLU, one thread), median of %d runs%n",
        batch, dataset.train().features(), repeat);
    double javaMs = javaMedianMs(dataset);
    out.printf("  java   %8.3f ms%n", javaMs);
    out.flush();
    NumpyResult numpy = numpyMedianMs();
    if (numpy == null) {
      out.println("  numpy  not measured (no python3 with numpy)");
    } else {
      out.printf("  numpy  %8.3f ms  (numpy %s, one BLAS thread)%n", numpy.medianMs(), numpy.version());
      out.printf("  ratio java/numpy %.2f  (target <= %.2f)%n", javaMs / numpy.medianMs(), TARGET_RATIO);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private double javaMedianMs(Dataset dataset) {
    NetShape shape = NetShape.MNIST.withHidden(50);
    ShardKernel kernel = new ShardKernel(dataset.train(), shape, Activation.RELU);
    double[] params = Parameters.initial(shape, 0.01, 0).values();
    double[] grads = new double[params.length];
    int[] images = Batches.range(0, batch);
    ShardRange whole = new ShardRange(0, 0, batch);
    for (int i = 0; i < Math.max(200, repeat); i++) {
      kernel.compute(params, images, whole, grads);
    }
    double[] ms = new double[repeat];
    for (int i = 0; i < repeat; i++) {
      long t0 = System.nanoTime();
      kernel.compute(params, images, whole, grads);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return Timings.median(ms);
  }

  private record NumpyResult(double medianMs, String version) {}

  private NumpyResult numpyMedianMs() throws InterruptedException {
    Path script = null;
    try (InputStream in = ComputeBench.class.getResourceAsStream("numpy_gradient.py")) {
      if (in == null) {
        return null;
      }
      script = Files.createTempFile("backstream-numpy-gradient", ".py");
      Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      ProcessBuilder builder = new ProcessBuilder(python, script.toString(), "--data",
              data.folder().toString(), "--batch", Integer.toString(batch), "--repeat",
              Integer.toString(repeat))
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      // like for like: the Java figure is one thread, and BLAS threads fighting for 2 busy cores
      // made numpy's median swing from 1 to 30 ms
      for (String var : new String[] {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"}) {
        builder.environment().put(var, "1");
      }
      Process p = builder.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      JsonNode json = new ObjectMapper().readTree(output);
      return new NumpyResult(json.get("medianMs").asDouble(), json.get("numpy").asText());
    } catch (IOException e) {
      return null;
    } finally {
      if (script != null) {
        try {
          Files.deleteIfExists(script);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }
}
