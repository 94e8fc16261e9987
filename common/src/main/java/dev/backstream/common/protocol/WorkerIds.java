package dev.backstream.common.protocol;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * How worker actors are named in shard plans: {@code <workerId>/<k>}, the k-th actor of the worker
 * process {@code workerId}. A heartbeat names the process and its actor count; the coordinator
 * expands it into these ids.
 */
public final class WorkerIds {
  private WorkerIds() {}

  /** The id of actor {@code k} of process {@code workerId}. */
  public static String actor(String workerId, int k) {
    return workerId + "/" + k;
  }

  /** This machine's host name, or "localhost" when it cannot be resolved. */
  public static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
