package dev.negbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The ONNX messages by their onnx.proto3 field numbers, byte for byte. */
class OnnxProtoTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void valueInfoHasNumberedAndSymbolicDimensions() {
    // ValueInfoProto{name=1, type=2{tensor_type=1{elem_type=1, shape=2{dim=1{value=1|param=2}}}}}
    // with the dimensions "5" (dim_value) and "b" (dim_param).
    byte[] expected =
        hex("0a 01 78" + "12 0f" + "0a 0d" + "08 01" + "12 09" + "0a 02 08 05" + "0a 03 12 01 62");
    assertArrayEquals(expected, OnnxProto.valueInfo("x", OnnxProto.FLOAT, "5", "b").toByteArray());
  }

  @Test
  void tensorsCarryShapeTypeNameAndRawLittleEndianData() {
    byte[] expected =
        hex("08 02" + "10 07" + "42 01 74" + "4a 10" + "0100000000000000" + "0200000000000000");
    assertArrayEquals(
        expected,
        OnnxProto.tensor("t", OnnxProto.INT64, new long[] {2}, OnnxProto.longs(1, 2))
            .toByteArray());
    assertArrayEquals(hex("0000803f 000000c0"), OnnxProto.floats(new float[] {1f, -2f}));
  }

  @Test
  void attributesAndTheModelHeader() {
    assertArrayEquals(hex("0a 01 61" + "18 03" + "a0 01 02"), OnnxProto.attr("a", 3).toByteArray());
    assertArrayEquals(
        hex("0a 01 70" + "40 00 40 02" + "a0 01 07"), OnnxProto.ints("p", 0, 2).toByteArray());
    byte[] model = OnnxProto.model(new ProtoMessage().string(2, "g"), 17);
    // ir_version 8, producer "negbench", graph{name "g"}, opset_import{domain "", version 17}
    assertArrayEquals(
        hex("08 08" + "12 08 6e 65 67 62 65 6e 63 68" + "3a 03 12 01 67" + "42 04 0a 00 10 11"),
        model);
  }
}
