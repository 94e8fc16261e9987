package dev.backstream.common.data;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A dataset backstream can train on, with the size and SHA-256 of each of its uncompressed files.
 *
 * <p>The sums are pinned so that a run's provenance names exactly the bytes it trained on, and so
 * that a damaged download is caught before it turns into a mysteriously bad accuracy.
 */
public enum DatasetName {
  /** The handwritten digits of LeCun et al., as published (see DATA.md). */
  MNIST(
      "mnist",
      new long[] {47_040_016L, 60_008L, 7_840_016L, 10_008L},
      "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
      "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
      "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
      "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
  /**
   * Zalando's Fashion-MNIST: same layout, ten clothing classes; sums taken from Debian's
   * dataset-fashion-mnist 0.0~git20200523.55506a9-1, which ships the project's own files.
   */
  FASHION_MNIST(
      "fashion-mnist",
      new long[] {47_040_016L, 60_008L, 7_840_016L, 10_008L},
      "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
      "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
      "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
      "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

  private final String id;
  private final long[] sizes;
  private final String[] sha256;

  DatasetName(String id, long[] sizes, String... sha256) {
    this.id = id;
    this.sizes = sizes;
    this.sha256 = sha256;
  }

  /** The name used on the command line and as the cache folder name, e.g. {@code fashion-mnist}. */
  public String id() {
    return id;
  }

  /** The four files of this dataset, in {@link DataFile} order. */
  public List<DataFile> files() {
    return List.of(DataFile.values());
  }

  /** The exact byte length of the uncompressed {@code file}. */
  public long size(DataFile file) {
    return sizes[file.ordinal()];
  }

  /** The SHA-256 of the uncompressed {@code file}, 64 lower-case hex digits. */
  public String sha256(DataFile file) {
    return sha256[file.ordinal()];
  }

  /**
   * The dataset whose {@link #id()} is {@code value}.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static DatasetName parse(String value) {
    for (DatasetName name : values()) {
      if (name.id.equals(value)) {
        return name;
      }
    }
    String accepted =
        Arrays.stream(values()).map(DatasetName::id).collect(Collectors.joining(", "));
    throw new IllegalArgumentException(
        "Invalid value '" + value + "' for --dataset: must be one of " + accepted);
  }

  @Override
  public String toString() {
    return id;
  }
}
