package dev.negbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The wire format against the examples of the protobuf encoding guide. */
class ProtoMessageTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void writesVarintsLowGroupFirst() {
    assertArrayEquals(hex("08 96 01"), new ProtoMessage().varint(1, 150).toByteArray());
    assertArrayEquals(hex("08 00"), new ProtoMessage().varint(1, 0).toByteArray());
    // A negative int64 is ten bytes, as protobuf writes it.
    assertArrayEquals(
        hex("08 ff ff ff ff ff ff ff ff ff 01"), new ProtoMessage().varint(1, -1).toByteArray());
  }

  @Test
  void writesStringsAndMessagesLengthDelimited() {
    assertArrayEquals(
        hex("12 07 74 65 73 74 69 6e 67"), new ProtoMessage().string(2, "testing").toByteArray());
    assertArrayEquals(
        hex("1a 03 08 96 01"),
        new ProtoMessage().message(3, new ProtoMessage().varint(1, 150)).toByteArray());
  }

  @Test
  void writesFloatsAsLittleEndianFixed32InTheOrderAdded() {
    assertArrayEquals(
        hex("15 00 00 80 3f 08 01"), new ProtoMessage().fixed32(2, 1f).varint(1, 1).toByteArray());
  }
}
