package dev.backstream.cli.live;

import dev.backstream.cli.base.UserException;
import dev.backstream.coordinator.training.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * {@code --http PORT}, shared by the commands that train: the live page and {@code /metrics}. A
 * command calls {@link #start} once, gives its trainer {@link #with}{@code (its own listener)} and
 * closes what {@code start} returned when it ends.
 */
public final class LiveOptions {
  @Option(names = "--http", paramLabel = "PORT", defaultValue = "${env:BACKSTREAM_HTTP}",
      description = "Serve a live page of the run's curves and Prometheus /metrics on PORT of "
          + "every interface (0: any free port) while this command runs; the server stops when "
          + "the command ends (env BACKSTREAM_HTTP).")
  String http;

  private LivePage page;

  /**
   * Starts the live page if {@code --http} was given and prints its address.
   *
   * @param run the run's name, the metrics' {@code run} label
   * @return what stops the server when closed (nothing to stop without {@code --http})
   * @throws UserException exit 2 for a port outside 0..65535, exit 1 if it cannot be bound
   */
  public Live start(PrintWriter out, String run) {
    // Blank counts as absent, as compose files pass unset variables on as empty strings.
    if (http == null || http.isBlank()) {
      return () -> {};
    }
    int port = port(http.trim());
    try {
      LivePage started = LivePage.start(port, run);
      page = started;
      out.println("Live page: " + started.url() + " (Prometheus metrics at " + started.url() + "metrics)");
      out.flush();
      return started::close;
    } catch (IOException e) {
      throw UserException.failure("Cannot serve the live page on port " + port + ": " + e.getMessage()
          + "; choose another --http PORT (0 picks a free one)");
    }
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below, as an out-of-range number is
    }
    throw UserException.usage("Invalid value " + value + " for --http: must be a port in [0, 65535]");
  }

  /**
   * {@code first} followed by the live page's listeners; {@code first} alone before {@link #start}
   * or without {@code --http}.
   */
  public TrainingListener with(TrainingListener first) {
    return page == null ? first : page.with(first);
  }

  /** The running page, stopped by {@link #close}. */
  @FunctionalInterface
  public interface Live extends AutoCloseable {
    @Override
    void close();
  }
}
