package dev.negbench.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A protobuf message being written, in the wire format: fields in the order added (the format
 * allows any), varints, little-endian fixed32 floats and length-delimited bytes, strings and
 * messages. Enough of protobuf to write an ONNX model without a library.
 */
final class ProtoMessage {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  ProtoMessage varint(int field, long value) {
    raw((long) field << 3);
    raw(value);
    return this;
  }

  ProtoMessage fixed32(int field, float value) {
    raw((long) field << 3 | 5);
    int bits = Float.floatToIntBits(value);
    for (int i = 0; i < 4; i++) {
      out.write(bits >>> (8 * i));
    }
    return this;
  }

  ProtoMessage string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  ProtoMessage bytes(int field, byte[] value) {
    raw((long) field << 3 | 2);
    raw(value.length);
    out.writeBytes(value);
    return this;
  }

  ProtoMessage message(int field, ProtoMessage message) {
    return bytes(field, message.toByteArray());
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  /**
   * A base-128 varint: seven bits a byte, low group first, the high bit set on all but the last.
   */
  private void raw(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
