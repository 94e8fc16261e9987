package dev.backstream.common.nn;

import org.ejml.MatrixDimensionException;
import org.ejml.data.DMatrixRMaj;

/** Shape preconditions shared by the layers; messages name the operation and both shapes. */
final class Shapes {
  private Shapes() {}

  static void requireElements(String op, DMatrixRMaj m, int expected) {
    if (m.getNumElements() != expected) {
      throw new MatrixDimensionException(
          op + ": expected " + expected + " elements (the last forward input), got "
              + m.numRows + "x" + m.numCols);
    }
  }

  static void requireCols(String op, DMatrixRMaj m, int cols) {
    if (m.numCols != cols) {
      throw new MatrixDimensionException(
          op + ": expected " + cols + " columns, got " + m.numRows + "x" + m.numCols);
    }
  }

  static void requireRows(String op, DMatrixRMaj m, int rows) {
    if (m.numRows != rows) {
      throw new MatrixDimensionException(
          op + ": expected " + rows + " rows, got " + m.numRows + "x" + m.numCols);
    }
  }
}
