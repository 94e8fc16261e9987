package dev.backstream.common.nn;

/**
 * A named matrix inside a flat parameter vector: {@code rows x cols} values, row-major, starting
 * at {@code offset}.
 *
 * @param name the book's name (W1, b1, W2, b2)
 * @param offset index of the first value in the flat vector
 * @param rows number of rows (1 for a bias)
 * @param cols number of columns
 */
public record ParamBlock(String name, int offset, int rows, int cols) {

  /** Number of values in the block. */
  public int size() {
    return rows * cols;
  }

  /** One past the last index of the block in the flat vector. */
  public int end() {
    return offset + size();
  }
}
