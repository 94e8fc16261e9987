package dev.backstream.common.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** The four IDX files of a tiny dataset as bytes, with their sums: stand-ins for the real ones. */
public final class TinyFiles {
  public final Map<DataFile, byte[]> raw = new EnumMap<>(DataFile.class);
  public final Map<DataFile, byte[]> gzip = new EnumMap<>(DataFile.class);
  public final Map<DataFile, String> sha256 = new EnumMap<>(DataFile.class);

  /** Files of 5 training and 2 test images; a different {@code seed} gives different pixels. */
  public TinyFiles(Path scratch, int seed) {
    try {
      Path dir = Files.createTempDirectory(scratch, "tiny");
      IdxWriter.write(
          SmallSets.images(5, seed),
          dir.resolve(DataFile.TRAIN_IMAGES.fileName()),
          dir.resolve(DataFile.TRAIN_LABELS.fileName()),
          Compression.RAW);
      IdxWriter.write(
          SmallSets.images(2, seed + 1),
          dir.resolve(DataFile.TEST_IMAGES.fileName()),
          dir.resolve(DataFile.TEST_LABELS.fileName()),
          Compression.RAW);
      for (DataFile file : DataFile.values()) {
        byte[] bytes = Files.readAllBytes(dir.resolve(file.fileName()));
        raw.put(file, bytes);
        gzip.put(file, gzip(bytes));
        sha256.put(
            file, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The sums as the fetcher's test constructor takes them, whatever the dataset. */
  public String sum(DatasetName ignored, DataFile file) {
    return sha256.get(file);
  }

  /** Writes all four raw files into {@code dir}. */
  public void writeRaw(Path dir) throws IOException {
    for (DataFile file : DataFile.values()) {
      Files.write(dir.resolve(file.fileName()), raw.get(file));
    }
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
