package dev.backstream.common.protocol;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The Kafka topic names of one training run, all prefixed {@code backstream.<run>.}.
 *
 * <p>The run name is 1 to 100 characters from {@code A-Z a-z 0-9 _ -}: Kafka's own topic
 * alphabet without {@code '.'}, short enough that the longest name stays far below Kafka's
 * 249-character limit. The dot is left out because it separates the parts of our topic names
 * and because Kafka treats {@code '.'} and {@code '_'} alike in topic names: runs {@code col.x}
 * and {@code col_x} would collide.
 *
 * @param run the run name, validated by the constructor
 */
public record Topics(String run) {

  /** Longest run name accepted. */
  public static final int MAX_RUN_LENGTH = 100;

  private static final Pattern RUN_NAME = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_RUN_LENGTH + "}");

  /**
   * Validates the run name.
   *
   * @throws IllegalArgumentException if {@code run} is null or not a valid run name; the message
   *     names the value and the rule
   */
  public Topics {
    if (run == null || !RUN_NAME.matcher(run).matches()) {
      throw new IllegalArgumentException("Invalid value '" + run + "' for --run: must be 1 to "
          + MAX_RUN_LENGTH + " characters from A-Z, a-z, 0-9, '_' and '-' ('.' separates the"
          + " parts of a topic name)");
    }
  }

  /**
   * Returns the topics of a run.
   *
   * @param run the run name
   * @return the run's topics
   * @throws IllegalArgumentException if the run name is invalid
   */
  public static Topics forRun(String run) {
    return new Topics(run);
  }

  /** Returns {@code backstream.<run>.steps}: one {@link StepFrame} per step, coordinator to workers. */
  public String steps() {
    return name("steps");
  }

  /** Returns {@code backstream.<run>.gradients}: {@link GradientFrame}s, workers to coordinator. */
  public String gradients() {
    return name("gradients");
  }

  /** Returns {@code backstream.<run>.members}: {@link WorkerHeartbeat} JSON records. */
  public String members() {
    return name("members");
  }

  /** Returns {@code backstream.<run>.metrics}: {@link MetricsLine} JSON records. */
  public String metrics() {
    return name("metrics");
  }

  /** Returns {@code backstream.<run>.checkpoints}: the compacted model store. */
  public String checkpoints() {
    return name("checkpoints");
  }

  /** Returns every topic of the run, in a fixed order. */
  public List<String> all() {
    return List.of(steps(), gradients(), members(), metrics(), checkpoints());
  }

  private String name(String suffix) {
    return "backstream." + run + "." + suffix;
  }
}
