package dev.backstream.cli.data;

import dev.backstream.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code backstream data}: the dataset cache. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Manage the dataset cache.",
    subcommands = {DataCommand.Fetch.class})
public final class DataCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code backstream data fetch}: fills the cache and checks every file's SHA-256. */
  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description = "Download a dataset into the cache and verify every file's SHA-256.")
  public static final class Fetch implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin DatasetOptions data;

    @Override
    public Integer call() {
      data.fetch();
      data.load();
      spec.commandLine().getOut().println(data.dataset().id() + " is ready in " + data.folder());
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}
