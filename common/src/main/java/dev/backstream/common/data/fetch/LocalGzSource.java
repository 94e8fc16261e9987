package dev.backstream.common.data.fetch;

import dev.backstream.common.data.DataFile;
import dev.backstream.common.data.IdxReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A local folder holding the files gzipped, such as a Debian dataset package installs. */
final class LocalGzSource implements FetchSource {
  private final Path dir;
  private final String missingHint;

  /** {@code missingHint} says how to get the folder, e.g. which package installs it. */
  LocalGzSource(Path dir, String missingHint) {
    this.dir = dir;
    this.missingHint = missingHint;
  }

  @Override
  public String description() {
    return dir.toString();
  }

  @Override
  public void fetch(List<DataFile> files, FileSink sink, FetchProgress progress)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("not there (" + missingHint + ")");
    }
    for (DataFile file : files) {
      Path gz = dir.resolve(file.gzipFileName());
      if (!Files.isRegularFile(gz)) {
        throw new IOException(file.gzipFileName() + " is not there");
      }
      progress.started(gz.toString(), Files.size(gz));
      try (InputStream in = Files.newInputStream(gz)) {
        sink.accept(file, IdxReader.decompressed(new ProgressInputStream(in, progress)));
      } catch (IOException e) {
        throw new IOException(file.gzipFileName() + ": " + DatasetFetcher.oneLine(e), e);
      } finally {
        progress.finished();
      }
    }
  }
}
