package dev.backstream.cli.testing;

import dev.backstream.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the command line in this JVM as a user would, keeping what it prints. */
public final class Cli {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs {@code backstream args...} and returns its exit code. */
  public int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** Everything printed to standard output so far. */
  public String out() {
    return out.toString();
  }

  /** Everything printed to standard error so far. */
  public String err() {
    return err.toString();
  }

  /** Forgets what was printed, for the next command. */
  public void clear() {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
  }
}
