package dev.backstream.common.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Signs one-line JSON records with a {@link RunKey}: the tag is appended as a last field
 * {@code ,"tag":"<64 hex>"}, computed over the exact UTF-8 bytes of the record without it. A
 * reader without a key parses a signed record as usual (it ignores the unknown {@code tag}); a
 * reader with a key strips the field, restores the closing brace and checks the HMAC over those
 * bytes, so no re-serialisation (key order, number format) can change what was signed.
 */
final class SignedJson {

  private static final String FIELD = ",\"tag\":\"";
  private static final int HEX_CHARS = RunKey.TAG_BYTES * 2;
  // the suffix ,"tag":"<hex>"} that replaces the record's closing brace
  private static final int SUFFIX_CHARS = FIELD.length() + HEX_CHARS + 2;

  private SignedJson() {}

  /** {@code json} as UTF-8 bytes, with its tag appended when {@code key} is present. */
  static byte[] sign(String json, RunKey key) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    if (!key.isPresent()) {
      return body;
    }
    if (body.length == 0 || body[body.length - 1] != '}') {
      throw new IllegalArgumentException("only a JSON object can be signed");
    }
    String hex = HexFormat.of().formatHex(key.tag(body, body.length));
    String signed = json.substring(0, json.length() - 1) + FIELD + hex + "\"}";
    return signed.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The record's JSON text once its tag checks out; without a key, the text as it came.
   *
   * @param value the record's bytes, possibly null (a tombstone)
   * @throws BadTagException if {@code key} is present and the tag is missing or wrong
   */
  static String open(byte[] value, RunKey key) {
    if (value == null) {
      return null;
    }
    String text = new String(value, StandardCharsets.UTF_8);
    if (!key.isPresent()) {
      return text;
    }
    int start = text.length() - SUFFIX_CHARS;
    if (start < 1 || !text.startsWith(FIELD, start) || !text.endsWith("\"}")) {
      throw new BadTagException("no tag, and the run has a key");
    }
    byte[] tag;
    try {
      tag = HexFormat.of().parseHex(text, start + FIELD.length(), start + FIELD.length() + HEX_CHARS);
    } catch (IllegalArgumentException e) {
      throw new BadTagException("a tag that is not " + HEX_CHARS + " hex digits");
    }
    String body = text.substring(0, start) + "}";
    byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
    byte[] signed = Arrays.copyOf(bodyBytes, bodyBytes.length + RunKey.TAG_BYTES);
    System.arraycopy(tag, 0, signed, bodyBytes.length, RunKey.TAG_BYTES);
    if (!key.verify(signed, bodyBytes.length)) {
      throw new BadTagException("a tag that does not match the run key");
    }
    return body;
  }
}
