package dev.backstream.cli.data;

import dev.backstream.cli.options.DatasetOptions;
import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.MissingCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import dev.backstream.common.data.fetch.FetchResult;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code backstream data}: the dataset cache. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Manage the dataset cache.",
    subcommands = {DataCommand.Fetch.class})
public final class DataCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Bare, the command does nothing it was asked: one line naming its commands, exit 2. */
  @Override
  public Integer call() {
    return MissingCommand.refuse(spec);
  }

  /** {@code backstream data fetch}: fills the cache and checks every file's SHA-256. */
  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description = "Download a dataset into the cache and verify every file's SHA-256.")
  public static final class Fetch implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin DatasetOptions data;

    @Option(names = "--force", defaultValue = "${env:BACKSTREAM_FORCE:-false}",
        description = "Fetch every file again, even those that are good (env BACKSTREAM_FORCE).")
    boolean force;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      FetchResult result = data.fetch(force);
      for (FetchResult.Replaced r : result.replaced()) {
        out.println("replaced " + r.path() + ": " + r.why());
      }
      for (FetchResult.Fetched f : result.fetched()) {
        out.println("fetched " + f.file().fileName() + " from " + f.source());
      }
      data.load();
      out.println(data.dataset().id() + " is ready in " + data.folder() + " (every SHA-256 checked)");
      out.flush();
      return ExitCodes.OK;
    }
  }
}
