package dev.backstream.common.data;

/** How an IDX file is stored on disk. Readers detect it from the content, never from the name. */
public enum Compression {
  /** The IDX bytes as they are. */
  RAW,
  /** The IDX bytes in one gzip member, as the public mirrors serve them. */
  GZIP
}
