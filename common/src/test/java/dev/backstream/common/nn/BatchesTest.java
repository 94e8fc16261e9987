package dev.backstream.common.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.data.TestDatasets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchesTest {

  @Test
  void sparseInputsAreTheNonZeroEntriesOfTheDenseInputs() {
    LabeledImages train = TestDatasets.mnistSubset().train();
    Random random = new Random(345);
    SparseRows reused = new SparseRows(0, 0);
    // repeats allowed, as in a batch drawn with replacement; sizes up, down and to nothing
    for (int size : new int[] {100, 3, 250, 0, 1}) {
      int[] indices = random.ints(size + 4, 0, train.count()).toArray();
      SparseRows expected = SparseRows.of(Batches.inputs(train, indices, 2, 2 + size));
      SparseRowsTest.assertSameEntries(Batches.sparseInputs(train, indices, 2, 2 + size), expected);
      SparseRowsTest.assertSameEntries(
          Batches.sparseInputs(train, indices, 2, 2 + size, reused), expected);
    }
  }

  @Test
  void sparseInputsHandleImagesThatAreNotWholeWords() {
    // 3x3 images: nine pixels, so the last eight-byte word of each image is partly padding
    byte[] pixels = {
      0, 0, 0, 0, 0, 0, 0, 0, (byte) 255,
      1, 0, 0, 0, (byte) 128, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0,
    };
    LabeledImages images = new LabeledImages(pixels, new byte[] {1, 2, 3}, 3, 3);
    int[] all = Batches.range(0, 3);
    SparseRows s = Batches.sparseInputs(images, all, 0, 3);
    assertThat(s.nonZeros()).isEqualTo(3);
    assertThat(java.util.Arrays.copyOf(s.rowStart(), 4)).containsExactly(0, 1, 3, 3);
    assertThat(java.util.Arrays.copyOf(s.cols(), 3)).containsExactly(8, 0, 4);
    assertThat(java.util.Arrays.copyOf(s.vals(), 3)).containsExactly(1.0, 1 / 255.0, 128 / 255.0);
    SparseRowsTest.assertSameEntries(s, SparseRows.of(Batches.inputs(images, all, 0, 3)));
  }
}
