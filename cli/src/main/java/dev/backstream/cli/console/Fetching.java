package dev.backstream.cli.console;

import dev.backstream.cli.console.ProgressBar;
import dev.backstream.common.data.fetch.DatasetFetcher;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.fetch.FetchProgress;
import dev.backstream.common.data.fetch.FetchResult;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the fetcher with a progress bar on the terminal and logs what it did. */
public final class Fetching {
  private static final Logger log = LoggerFactory.getLogger(Fetching.class);

  private Fetching() {}

  public static FetchResult fetch(DatasetName name, Path dir, boolean force) {
    FetchResult result = new DatasetFetcher().fetch(name, dir, new BarProgress(), force);
    for (FetchResult.Fetched f : result.fetched()) {
      log.info("{}: {} from {}", name.id(), f.file().fileName(), f.source());
    }
    return result;
  }

  /** Draws the bytes of each download; a source of unknown size draws nothing. */
  private static final class BarProgress implements FetchProgress {
    private ProgressBar bar = ProgressBar.onTerminal("bytes");
    private long total;
    private long done;

    @Override
    public void started(String what, long totalBytes) {
      bar = ProgressBar.onTerminal("bytes");
      total = totalBytes;
      done = 0;
    }

    @Override
    public void advanced(long bytes) {
      done += bytes;
      if (total > 0) {
        bar.update(done, total);
      }
    }

    @Override
    public void finished() {
      bar.clear();
    }
  }
}
