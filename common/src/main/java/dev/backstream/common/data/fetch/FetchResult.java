package dev.backstream.common.data.fetch;

import dev.backstream.common.data.DataFile;
import dev.backstream.common.data.DatasetName;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link DatasetFetcher#fetch} did: which files were already there, which it fetched from
 * where, and which sources failed before others succeeded.
 *
 * @param name the dataset fetched
 * @param folder where its four files now are, each raw or gzip, all with the pinned sums
 * @param alreadyPresent files that were there and valid, so were not fetched
 * @param fetched files fetched, with the source of each
 * @param failures one line per source that failed, "source: what went wrong"
 * @param replaced files that were there but wrong (or {@code --force}d), each fetched again
 */
public record FetchResult(
    DatasetName name,
    Path folder,
    List<DataFile> alreadyPresent,
    List<Fetched> fetched,
    List<String> failures,
    List<Replaced> replaced) {

  /** Copies the lists. */
  public FetchResult {
    alreadyPresent = List.copyOf(alreadyPresent);
    fetched = List.copyOf(fetched);
    failures = List.copyOf(failures);
    replaced = List.copyOf(replaced);
  }

  /**
   * A file that was in the folder and was fetched again.
   *
   * @param file which file
   * @param path the file as it was found (raw or gzip)
   * @param why what was wrong with it, e.g. its SHA-256
   */
  public record Replaced(DataFile file, Path path, String why) {}

  /**
   * One fetched file.
   *
   * @param file which file
   * @param source where it came from: a URL, a folder or the npm package
   */
  public record Fetched(DataFile file, String source) {}
}
