package dev.backstream.cli;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.options.DatasetOptions;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.GradientCheck;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The chapter's gradient check on the first training images. */
@Command(
    name = "gradcheck",
    mixinStandardHelpOptions = true,
    description = "Compare backpropagation with numerical gradients on the first training images.")
public final class GradcheckCommand implements Callable<Integer> {
  /** The check passes when every block's mean absolute difference is below this. */
  static final double PASS_BELOW = 1e-6;

  @Spec CommandSpec spec;

  @Mixin DatasetOptions data;

  @Option(names = "--images", defaultValue = "3", description = "Images to check (default: 3).")
  int images;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (images < 1) {
      throw UserException.usage("Invalid value " + images + " for --images: must be at least 1");
    }
    var train = data.load().train();
    if (images > train.count()) {
      throw UserException.usage("Invalid value " + images + " for --images: must be at most " + train.count());
    }
    Map<String, Double> diffs = GradientCheck.run(train, images, 50, Activation.RELU, 0L);
    boolean pass = true;
    for (var e : diffs.entrySet()) {
      out.println(e.getKey() + ": " + String.format("%.1e", e.getValue()));
      pass &= e.getValue() < PASS_BELOW;
    }
    out.println(pass ? "ok: every block below " + PASS_BELOW : "FAILED: a block is at or above " + PASS_BELOW);
    out.flush();
    return pass ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
