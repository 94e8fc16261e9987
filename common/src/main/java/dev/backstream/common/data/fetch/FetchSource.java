package dev.backstream.common.data.fetch;

import dev.backstream.common.data.DataFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** One place the files of a dataset can come from: a mirror, a local package, npm. */
interface FetchSource {
  /** Names the source in messages, e.g. its base URL. */
  String description();

  /**
   * Hands the uncompressed content of each of {@code files} to {@code sink}, in order, and throws
   * on the first file it cannot supply. The sink checks and stores what it is given.
   */
  void fetch(List<DataFile> files, FileSink sink, FetchProgress progress)
      throws IOException, InterruptedException;

  /** Takes the content of one file; throws if it is not the file it must be. */
  interface FileSink {
    void accept(DataFile file, InputStream uncompressed) throws IOException;
  }
}
