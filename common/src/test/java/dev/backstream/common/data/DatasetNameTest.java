package dev.backstream.common.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class DatasetNameTest {
  @Test
  void parsesTheCommandLineIds() {
    assertThat(DatasetName.parse("mnist")).isEqualTo(DatasetName.MNIST);
    assertThat(DatasetName.parse("fashion-mnist")).isEqualTo(DatasetName.FASHION_MNIST);
    assertThat(DatasetName.FASHION_MNIST.id()).isEqualTo("fashion-mnist");
  }

  @Test
  void rejectsOtherNamesListingTheAcceptedOnes() {
    assertThatThrownBy(() -> DatasetName.parse("MNIST"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value 'MNIST' for --dataset: must be one of mnist, fashion-mnist");
  }

  @Test
  void pinsSizeAndSumOfEveryFile() {
    for (DatasetName name : DatasetName.values()) {
      for (DataFile file : name.files()) {
        assertThat(name.sha256(file)).matches("[0-9a-f]{64}");
        long header = file.isImages() ? 16 : 8;
        long perItem = file.isImages() ? 28 * 28 : 1;
        long count = file.name().startsWith("TRAIN") ? 60_000 : 10_000;
        assertThat(name.size(file)).isEqualTo(header + count * perItem);
      }
    }
    assertThat(DatasetName.MNIST.sha256(DataFile.TRAIN_IMAGES))
        .isEqualTo("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
    assertThat(DataFile.TEST_LABELS.gzipFileName()).isEqualTo("t10k-labels-idx1-ubyte.gz");
  }
}
