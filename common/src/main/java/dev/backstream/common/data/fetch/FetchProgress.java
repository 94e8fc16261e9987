package dev.backstream.common.data.fetch;

/**
 * Told how a fetch advances, so a command line can draw a progress bar. Called on the fetching
 * thread, once {@code started}, any number of {@code advanced}, then {@code finished} per step.
 */
public interface FetchProgress {
  /** Does nothing: for callers that show no progress. */
  FetchProgress NONE =
      new FetchProgress() {
        @Override
        public void started(String what, long totalBytes) {}

        @Override
        public void advanced(long bytes) {}

        @Override
        public void finished() {}
      };

  /**
   * A step began, e.g. one download; {@code totalBytes} is its expected size, or -1 if unknown
   * (then show activity, not a percentage).
   */
  void started(String what, long totalBytes);

  /** {@code bytes} more bytes of the current step were transferred (a delta, not a total). */
  void advanced(long bytes);

  /** The current step ended, successfully or not. */
  void finished();
}
