package dev.backstream.cli.model;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.OutputFile;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.base.VersionProvider;
import dev.backstream.cli.options.KafkaOptions;
import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.model.ModelFile;
import dev.backstream.common.model.ModelFileException;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.protocol.CheckpointFrame;
import dev.backstream.common.protocol.MalformedJsonException;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.coordinator.Checkpoints;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstream export}: a run's newest checkpoint, read from its compacted checkpoints topic,
 * as the model file {@code train --save-model} writes. Works while the run trains (the newest
 * checkpoint so far) and after it ended (the final parameters).
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write a run's newest checkpoint as a numpy .npz model (see 'backstream predict').")
public final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "${env:BACKSTREAM_OUT}",
      description = "The model file to write (numpy .npz; env BACKSTREAM_OUT).")
  Path out;

  @Override
  public Integer call() {
    if (OutputFile.check("--out", out) == null) {
      throw UserException.usage("Missing --out FILE (or env BACKSTREAM_OUT)");
    }
    String run = kafka.run();
    var settings = kafka.settings();
    CheckpointFrame checkpoint =
        Checkpoints.newest(settings, run, kafka.runKey(), kafka.connectTimeout())
            .orElseThrow(() -> UserException.failure("run '" + run + "' has no checkpoint on "
                + settings.bootstrapServers() + ": check --run (a coordinator writes one when it"
                + " starts)"));
    ModelFile model = model(checkpoint);
    try {
      model.write(out);
    } catch (ModelFileException e) {
      throw UserException.failure("cannot write --out " + e.getMessage());
    }
    PrintWriter printer = spec.commandLine().getOut();
    printer.println("run '" + run + "' at step " + checkpoint.step() + " (generation "
        + checkpoint.generation() + ") written to " + out + "; paramsSha256 "
        + model.paramsSha256());
    printer.flush();
    return ExitCodes.OK;
  }

  /** The checkpoint's parameters with its settings, and where they came from. */
  static ModelFile model(CheckpointFrame checkpoint) {
    RunSpec s;
    try {
      s = RunSpec.fromJson(checkpoint.settings());
    } catch (MalformedJsonException | IllegalArgumentException e) {
      throw UserException.failure("run '" + checkpoint.run() + "' has a checkpoint with unreadable"
          + " settings: " + e.getMessage());
    }
    int count = checkpoint.paramsView().remaining();
    // inputs follow from the parameter count: the checkpoint names hidden units, not inputs
    int classes = LabeledImages.CLASSES;
    int features = (count - (1 + classes) * s.hidden() - classes) / s.hidden();
    NetShape shape = NetShape.of(Math.max(1, features), s.hidden());
    if (shape.parameterCount() != count) {
      throw UserException.failure("run '" + checkpoint.run() + "' has a checkpoint of " + count
          + " parameters, which no network of " + s.hidden() + " hidden units and " + classes
          + " classes has");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("run", checkpoint.run());
    s.fields().forEach((k, v) -> settings.put(k, String.valueOf(v)));
    settings.put("plannedSteps", settings.get("steps"));
    settings.put("steps", Long.toString(checkpoint.step()));
    settings.put("generation", Long.toString(checkpoint.generation()));
    settings.put("mode", "checkpoint");
    settings.put("backstream", VersionProvider.version());
    settings.putAll(ModelFile.platform());
    return ModelFile.of(shape, s.activation(), settings, checkpoint.params());
  }
}
