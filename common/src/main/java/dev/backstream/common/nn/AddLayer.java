package dev.backstream.common.nn;

/**
 * The addition node of a computational graph: {@code out = x + y}. Backward passes the upstream
 * derivative through unchanged to both inputs, so the node keeps no state.
 */
public final class AddLayer {

  /** Computes {@code x + y}. */
  public double forward(double x, double y) {
    return x + y;
  }

  /** Returns {@code dout} for both inputs. */
  public ScalarGradients backward(double dout) {
    return new ScalarGradients(dout, dout);
  }
}
