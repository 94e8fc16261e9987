package dev.backstream.common.protocol;

import java.util.Objects;

/**
 * A frame that failed a check, whether the decoder's ({@link Decoded}) or a receiver's against
 * the run's state ({@link Admission}): it is counted by its reason and never applied.
 *
 * @param reason the failed check
 * @param detail one line for a log: the offending value and what was expected
 */
public record Rejected(RejectReason reason, String detail) implements Decoded, Admission {
  /** Requires a reason and a detail. */
  public Rejected {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }
}
