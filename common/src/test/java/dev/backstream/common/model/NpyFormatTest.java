package dev.backstream.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The .npy bytes, checked against what numpy 1.x/2.x writes for the same arrays. */
class NpyFormatTest {

  @Test
  void writesTheBytesNumpyWritesForAVector() {
    // numpy.save of np.array([1.0, -2.0]) (numpy 2.4): a 118-byte header, so data at byte 128.
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
    ByteBuffer expected = ByteBuffer.allocate(144).order(ByteOrder.LITTLE_ENDIAN);
    expected.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0});
    expected.put((dict + " ".repeat(117 - dict.length()) + "\n").getBytes(StandardCharsets.US_ASCII));
    expected.putDouble(1.0).putDouble(-2.0);

    byte[] npy = NpyFormat.encode(NpyArray.ofDoubles(new int[] {2}, new double[] {1.0, -2.0}));

    assertThat(npy).isEqualTo(expected.array());
  }

  @Test
  void writesMatrixAndScalarShapesAsPythonTuples() {
    assertThat(header(NpyArray.ofDoubles(new int[] {784, 50}, new double[784 * 50])))
        .startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (784, 50), }   ");
    assertThat(header(NpyArray.ofString("relu")))
        .startsWith("{'descr': '<U4', 'fortran_order': False, 'shape': (), }   ");
  }

  @Test
  void readsWhatItWritesAndNumpysVersionTwoHeaders() {
    NpyArray a = NpyArray.ofDoubles(new int[] {2, 3}, new double[] {1, 2, 3, 4, 5, 6});
    assertThat(NpyFormat.decode(NpyFormat.encode(a))).isEqualTo(a);

    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}\n";
    ByteBuffer v2 = ByteBuffer.allocate(12 + dict.length() + 48).order(ByteOrder.LITTLE_ENDIAN);
    v2.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(dict.length());
    v2.put(dict.getBytes(StandardCharsets.US_ASCII)).put(a.data());
    assertThat(NpyFormat.decode(v2.array())).isEqualTo(a);
  }

  @Test
  void stringsKeepEveryCodePoint() {
    for (String s : new String[] {"", "relu", "ünïcode € 😀", "{\"lr\":\"0.1\"}"}) {
      assertThat(NpyFormat.decode(NpyFormat.encode(NpyArray.ofString(s))).string()).isEqualTo(s);
    }
    assertThat(NpyArray.ofString("😀").descr()).isEqualTo("<U1");
  }

  @Test
  void refusesWhatItCannotRepresent() {
    assertThatThrownBy(() -> NpyFormat.decode("PK\3\4 a zip".getBytes(StandardCharsets.US_ASCII)))
        .hasMessage("not a .npy array (no \\x93NUMPY magic)");
    assertThatThrownBy(() -> NpyFormat.decode(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4)))
        .hasMessageContaining("dtype '<f4' is not supported");
    assertThatThrownBy(() -> NpyFormat.decode(withHeader("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", 8)))
        .hasMessageContaining("dtype '>f8' is not supported");
    assertThatThrownBy(() -> NpyFormat.decode(withHeader("{'descr': '<f8', 'fortran_order': True, 'shape': (1,), }", 8)))
        .hasMessage("is in Fortran order: must be C order");
    assertThatThrownBy(() -> NpyFormat.decode(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", 8)))
        .hasMessageContaining("holds 8 bytes of data, but dtype '<f8' and shape (2,) need 16");
  }

  private static String header(NpyArray a) {
    return new String(NpyFormat.encode(a), 10, 118, StandardCharsets.US_ASCII);
  }

  private static byte[] withHeader(String dict, int dataBytes) {
    byte[] h = (dict + "\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(10 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
    return b.array();
  }
}
