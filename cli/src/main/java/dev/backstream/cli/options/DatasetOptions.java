package dev.backstream.cli.options;

import dev.backstream.cli.base.UserException;
import dev.backstream.cli.console.Fetching;
import dev.backstream.common.data.DataCache;
import dev.backstream.common.data.fetch.DataFetchException;
import dev.backstream.common.data.DataFile;
import dev.backstream.common.data.DataFileException;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.fetch.FetchResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --dataset} and {@code --data}, and loading the dataset they name: fetched into the cache
 * on first use, so that no command needs a separate download step.
 */
public final class DatasetOptions {
  private static final Logger log = LoggerFactory.getLogger(DatasetOptions.class);

  @Option(names = "--dataset", defaultValue = "${env:BACKSTREAM_DATASET:-mnist}",
      description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE}; env BACKSTREAM_DATASET).")
  String dataset;

  @Option(names = "--data", paramLabel = "DIR",
      description = "The dataset's folder (default: $BACKSTREAM_DATA/<dataset>, else "
          + "~/.cache/backstream/<dataset>; env BACKSTREAM_DATA names the parent).")
  Path dataDir;

  /**
   * The dataset named by {@code --dataset}.
   *
   * @throws UserException (exit 2) for an unknown name
   */
  public DatasetName dataset() {
    try {
      return DatasetName.parse(dataset);
    } catch (IllegalArgumentException e) {
      throw UserException.usage(e.getMessage());
    }
  }

  /** The folder the dataset's files are read from and fetched into. */
  public Path folder() {
    return DataCache.folder(dataset(), Optional.ofNullable(dataDir));
  }

  /**
   * True when something stands under the name of each of the four files, raw or gzip: loading
   * then says what is wrong with it (a folder, unreadable, a wrong sum) rather than fetching.
   */
  public boolean present() {
    Path dir = folder();
    for (DataFile f : dataset().files()) {
      if (!Files.exists(dir.resolve(f.fileName())) && !Files.exists(dir.resolve(f.gzipFileName()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Loads the dataset, fetching it first if any file is missing.
   *
   * @throws UserException (exit 1) when it can be neither found nor fetched, or a file is corrupt
   */
  public Dataset load() {
    DatasetName name = dataset();
    Path dir = folder();
    if (!present()) {
      log.info("{} is not in {}: fetching it", name.id(), dir);
      fetch();
    }
    try {
      return DataCache.load(name, dir);
    } catch (DataFileException e) {
      throw UserException.failure(e.getMessage());
    }
  }

  /** Fetches the dataset into its folder with a progress bar. */
  public FetchResult fetch() {
    return fetch(false);
  }

  /**
   * Fetches the files missing or wrong (with {@code force}, every file) with a progress bar.
   *
   * @throws UserException (exit 1) if a file could not be had, or a folder or an unreadable file
   *     stands where one goes
   */
  public FetchResult fetch(boolean force) {
    try {
      return Fetching.fetch(dataset(), folder(), force);
    } catch (DataFetchException | DataFileException e) {
      throw UserException.failure(e.getMessage());
    }
  }
}
