package dev.negbench.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The ONNX messages negbench writes, by their field numbers in onnx.proto3: ModelProto,
 * AttributeProto (INT and INTS), TensorProto with raw little-endian data, ValueInfoProto with a
 * tensor type.
 */
final class OnnxProto {
  static final int IR_VERSION = 8;

  /** TensorProto.DataType FLOAT. */
  static final int FLOAT = 1;

  /** TensorProto.DataType UINT8. */
  static final int UINT8 = 2;

  /** TensorProto.DataType INT8. */
  static final int INT8 = 3;

  /** TensorProto.DataType INT32. */
  static final int INT32 = 6;

  /** TensorProto.DataType INT64. */
  static final int INT64 = 7;

  private OnnxProto() {}

  /** ONNX Runtime's contrib operator domain (the int8 kernels' MatMulIntegerToFloat). */
  static final String MICROSOFT = "com.microsoft";

  /** The serialized ModelProto of {@code graph} at {@code opset} of the default domain. */
  static byte[] model(ProtoMessage graph, int opset) {
    return model(graph, opset, false);
  }

  /**
   * As {@link #model(ProtoMessage, int)}, importing version 1 of {@link #MICROSOFT} too when the
   * graph uses ONNX Runtime's contrib operators.
   */
  static byte[] model(ProtoMessage graph, int opset, boolean microsoft) {
    ProtoMessage m =
        new ProtoMessage()
            .varint(1, IR_VERSION)
            .string(2, "negbench")
            .message(7, graph)
            .message(8, new ProtoMessage().string(1, "").varint(2, opset));
    if (microsoft) {
      m.message(8, new ProtoMessage().string(1, MICROSOFT).varint(2, 1));
    }
    return m.toByteArray();
  }

  static ProtoMessage attr(String name, long value) {
    return new ProtoMessage().string(1, name).varint(3, value).varint(20, 2); // type INT
  }

  static ProtoMessage ints(String name, long... values) {
    ProtoMessage a = new ProtoMessage().string(1, name);
    for (long v : values) {
      a.varint(8, v);
    }
    return a.varint(20, 7); // type INTS
  }

  static ProtoMessage tensor(String name, int type, long[] shape, byte[] raw) {
    ProtoMessage t = new ProtoMessage();
    for (long d : shape) {
      t.varint(1, d);
    }
    t.varint(2, type);
    t.string(8, name);
    t.bytes(9, raw);
    return t;
  }

  /** A graph input or output: element type and named (symbolic) or numbered dimensions. */
  static ProtoMessage valueInfo(String name, int type, String... dims) {
    ProtoMessage shape = new ProtoMessage();
    for (String d : dims) {
      shape.message(
          1,
          d.chars().allMatch(Character::isDigit)
              ? new ProtoMessage().varint(1, Long.parseLong(d))
              : new ProtoMessage().string(2, d));
    }
    ProtoMessage tensorType = new ProtoMessage().varint(1, type).message(2, shape);
    return new ProtoMessage().string(1, name).message(2, new ProtoMessage().message(1, tensorType));
  }

  static byte[] floats(float[] data) {
    ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(data);
    return b.array();
  }

  static byte[] longs(long... data) {
    ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(data);
    return b.array();
  }
}
