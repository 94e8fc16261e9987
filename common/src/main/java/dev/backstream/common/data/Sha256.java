package dev.backstream.common.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 over the uncompressed content of data files, as the pinned sums are. */
public final class Sha256 {
  private Sha256() {}

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256, so this is a broken JDK, not a user error.
      throw new IllegalStateException("this JDK has no SHA-256", e);
    }
  }

  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The SHA-256 of {@code file}'s content, decompressed first if it is gzip. */
  public static String ofContent(Path file) throws IOException {
    MessageDigest digest = newDigest();
    try (InputStream in =
        new DigestInputStream(IdxReader.decompressed(Files.newInputStream(file)), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return hex(digest);
  }
}
