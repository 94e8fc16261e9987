package dev.backstream.common.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared secret of a run ({@code --run-key FILE}): frames carry an HMAC-SHA256 tag under it,
 * and a process with a key rejects frames whose tag is missing or wrong. {@link #NONE} is a run
 * without a key: frames go untagged and tags that arrive are not checked.
 *
 * <p>Immutable and thread-safe: each tag is computed with a fresh {@link Mac}.
 */
public final class RunKey {

  /** No key: frames are not signed, and tags are not checked. */
  public static final RunKey NONE = new RunKey(null);

  /** The tag's size in bytes: HMAC-SHA256 is not truncated. */
  public static final int TAG_BYTES = 32;

  /** The shortest key accepted, in bytes (128 bits). */
  public static final int MIN_KEY_BYTES = 16;

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  private RunKey(byte[] secret) {
    this.key = secret == null ? null : new SecretKeySpec(secret, ALGORITHM);
  }

  /**
   * A key from raw bytes.
   *
   * @throws IllegalArgumentException if shorter than {@link #MIN_KEY_BYTES}
   */
  public static RunKey of(byte[] secret) {
    if (secret.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("the run key has " + secret.length
          + " bytes: it needs at least " + MIN_KEY_BYTES
          + " (make one with: head -c 32 /dev/urandom > run.key)");
    }
    return new RunKey(secret.clone());
  }

  /**
   * Reads a key file: its bytes, less trailing line breaks (so {@code openssl rand -hex 32 > f}
   * works as well as raw random bytes).
   *
   * @throws IllegalArgumentException naming the file, if it cannot be read or is too short
   */
  public static RunKey load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("Invalid value '" + file + "' for --run-key: no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Invalid value '" + file + "' for --run-key: cannot read it (" + e.getMessage() + ")");
    }
    int n = bytes.length;
    while (n > 0 && (bytes[n - 1] == '\n' || bytes[n - 1] == '\r')) {
      n--;
    }
    try {
      return of(Arrays.copyOf(bytes, n));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid value '" + file + "' for --run-key: "
          + e.getMessage());
    }
  }

  /** Whether frames are signed and checked. */
  public boolean isPresent() {
    return key != null;
  }

  /** The HMAC-SHA256 of {@code bytes[0, length)}; only for a present key. */
  byte[] tag(byte[] bytes, int length) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(bytes, 0, length);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /** Whether {@code bytes[length, length + 32)} is the tag of {@code bytes[0, length)}. */
  boolean verify(byte[] bytes, int length) {
    byte[] expected = tag(bytes, length);
    byte[] actual = Arrays.copyOfRange(bytes, length, length + TAG_BYTES);
    // constant time: a timing difference must not tell a forger how many bytes were right
    return MessageDigest.isEqual(expected, actual);
  }

  @Override
  public String toString() {
    return isPresent() ? "RunKey[set]" : "RunKey[none]";
  }
}
