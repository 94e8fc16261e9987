package dev.backstream.cli.model;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.options.DatasetOptions;
import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.model.ModelFile;
import dev.backstream.common.model.ModelFileException;
import dev.backstream.common.nn.Batches;
import dev.backstream.common.nn.SoftmaxWithLoss;
import dev.backstream.common.nn.TwoLayerNet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ejml.data.DMatrixRMaj;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code backstream predict}: classifies one image with a model from {@code train --save-model}:
 * a test image of the dataset ({@code --index N}) or an image file, which is made grey and scaled
 * to the network's 28x28 input. Prints the digit and the softmax of the ten scores.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = "Classify a test image (--index N) or an image file with a saved model.")
public final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DatasetOptions data;

  @Option(names = "--model", paramLabel = "FILE", defaultValue = "${env:BACKSTREAM_MODEL}",
      description = "The model, from 'train --save-model FILE' (env BACKSTREAM_MODEL).")
  Path model;

  @Parameters(arity = "0..1", paramLabel = "IMAGE",
      description = "An image file (PNG, JPEG, GIF, BMP): a light digit on a dark background, as in "
          + "MNIST; colour is made grey, any size is scaled to 28x28.")
  Path image;

  @Option(names = "--index", paramLabel = "N",
      description = "Classify test image N of --dataset instead of a file.")
  Integer index;

  @Option(names = "--invert",
      description = "Invert the image first: for a dark digit on a light background.")
  boolean invert;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if ((image == null) == (index == null)) {
      throw UserException.usage("Give an IMAGE file or --index N (one of them)");
    }
    if (invert && index != null) {
      throw UserException.usage("--invert applies to an IMAGE file, not to --index");
    }
    ModelFile m = readModel();
    LabeledImages images;
    int i;
    String what;
    if (index != null) {
      images = testImages(m);
      if (index < 0 || index >= images.count()) {
        throw UserException.usage("Invalid value " + index + " for --index: must be in [0, "
            + (images.count() - 1) + "] (the test images of " + data.dataset().id() + ")");
      }
      i = index;
      String trainedOn = m.settings().get("dataset");
      if (trainedOn != null && !trainedOn.equals(data.dataset().id())) {
        spec.commandLine().getErr().println("backstream: note: " + model + " was trained on "
            + trainedOn + ", --dataset is " + data.dataset().id());
      }
      what = "test image " + i + " of " + data.dataset().id() + ", labelled " + images.label(i);
    } else {
      int side = side(m);
      GreyImage grey = GreyImage.read(image);
      what = image + " (" + grey.width() + "x" + grey.height() + ", scaled to " + side + "x" + side
          + (invert ? ", inverted" : "") + ")";
      if (!invert && grey.mean() > 127.5) {
        spec.commandLine().getErr().println("backstream: note: " + image + " is mostly light; "
            + "MNIST digits are light on dark: add --invert for a dark digit on a light background");
      }
      byte[] pixels = (invert ? grey.inverted() : grey).scaled(side, side).bytes();
      // One image whose label is never read: Batches scales pixels exactly as training does.
      images = new LabeledImages(pixels, new byte[1], side, side);
      i = 0;
    }
    TwoLayerNet net = new TwoLayerNet(m.parameters(), m.activation());
    DMatrixRMaj p = SoftmaxWithLoss.softmax(net.predict(Batches.inputs(images, new int[] {i}, 0, 1)));
    int digit = SoftmaxWithLoss.argmax(p.data, 0, p.numCols);
    out.println(what);
    out.println(String.format(Locale.ROOT, "digit %d (probability %.4f)", digit, p.data[digit]));
    for (int c = 0; c < p.numCols; c++) {
      out.println(String.format(Locale.ROOT, "  %d  %.4f%s", c, p.data[c], c == digit ? "  <" : ""));
    }
    out.flush();
    return ExitCodes.OK;
  }

  private ModelFile readModel() {
    if (model == null) {
      throw UserException.usage("Missing --model FILE (a model from 'train --save-model FILE')");
    }
    if (!Files.exists(model)) {
      throw UserException.usage(model + ": no such file (--model)");
    }
    try {
      return ModelFile.read(model);
    } catch (ModelFileException e) {
      throw UserException.failure(e.getMessage());
    }
  }

  /** The test set of --dataset, which must have the model's input size. */
  private LabeledImages testImages(ModelFile m) {
    LabeledImages test = data.load().test();
    if (test.features() != m.shape().input()) {
      throw UserException.failure(model + " takes " + m.shape().input() + " inputs, but the images"
          + " of " + data.dataset().id() + " have " + test.features() + " pixels");
    }
    return test;
  }

  /** The side of the model's square input image: 28 for 784 inputs. */
  private int side(ModelFile m) {
    int inputs = m.shape().input();
    int side = (int) Math.round(Math.sqrt(inputs));
    if (side * side != inputs) {
      throw UserException.failure(model + " takes " + inputs + " inputs, which is not a square image");
    }
    return side;
  }
}
