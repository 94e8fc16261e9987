package dev.backstream.common.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class LabeledImagesTest {
  private final byte[] pixels = {0, 1, 2, 3, 4, 5, 6, 7, (byte) 200, 9, 10, (byte) 255};
  private final byte[] labels = {3, 0, 9};
  private final LabeledImages set = new LabeledImages(pixels, labels, 2, 2);

  @Test
  void readsPixelsRowMajorAsUnsigned() {
    assertThat(set.count()).isEqualTo(3);
    assertThat(set.features()).isEqualTo(4);
    assertThat(set.pixel(1, 3)).isEqualTo(7);
    assertThat(set.pixel(2, 0)).isEqualTo(200);
    assertThat(set.pixel(2, 3)).isEqualTo(255);
    assertThat(set.label(0)).isEqualTo(3);
    assertThat(set.label(2)).isEqualTo(9);
  }

  @Test
  void copiesOneImageAtAnOffset() {
    byte[] dst = new byte[6];
    set.copyImage(2, dst, 1);
    assertThat(dst).containsExactly(0, (byte) 200, 9, 10, (byte) 255, 0);
    assertThatThrownBy(() -> set.copyImage(3, dst, 0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void pixelOutsideTheImageIsRejectedRatherThanReadFromTheNextImage() {
    assertThatThrownBy(() -> set.pixel(0, 4)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void copiesArraysInAndOut() {
    pixels[0] = 99;
    labels[0] = 1;
    set.pixels()[1] = 99;
    set.labels()[1] = 1;

    assertThat(set.pixel(0, 0)).isZero();
    assertThat(set.pixel(0, 1)).isEqualTo(1);
    assertThat(set.label(0)).isEqualTo(3);
    assertThat(set.label(1)).isZero();
  }

  @Test
  void equalityComparesContent() {
    LabeledImages same = new LabeledImages(pixels.clone(), labels.clone(), 2, 2);
    LabeledImages otherShape = new LabeledImages(set.pixels(), set.labels(), 1, 4);
    byte[] changed = set.pixels();
    changed[11] = 0;

    assertThat(set).isEqualTo(new LabeledImages(set.pixels(), set.labels(), 2, 2));
    assertThat(set).hasSameHashCodeAs(new LabeledImages(set.pixels(), set.labels(), 2, 2));
    assertThat(set).isNotEqualTo(otherShape);
    assertThat(set).isNotEqualTo(new LabeledImages(changed, set.labels(), 2, 2));
    assertThat(same.toString()).isEqualTo("LabeledImages[3 images of 2x2]");
  }

  @Test
  void headCopiesTheFirstImages() {
    LabeledImages head = set.head(2);

    assertThat(head.count()).isEqualTo(2);
    assertThat(head.pixel(1, 3)).isEqualTo(7);
    assertThat(head.label(1)).isZero();
    assertThat(set.head(0).count()).isZero();
    assertThat(set.head(3)).isEqualTo(set);
    assertThatThrownBy(() -> set.head(4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsInconsistentArrays() {
    assertThatThrownBy(() -> new LabeledImages(new byte[11], labels, 2, 2))
        .hasMessage("11 pixels do not make 3 images of 2x2 (12 pixels)");
    assertThatThrownBy(() -> new LabeledImages(pixels, new byte[] {0, 10, 0}, 2, 2))
        .hasMessage("label 10 of image 1 is not in 0..9");
    assertThatThrownBy(() -> new LabeledImages(new byte[0], new byte[0], 0, 2))
        .hasMessage("image size 0x2 must be at least 1x1");
  }
}
