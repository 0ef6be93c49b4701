package dev.negbench.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON
 * header naming each tensor's {@code dtype}, {@code shape} and {@code data_offsets} into the data
 * that follows. Read here in Java, not by DJL's {@code NDList.decode}, which crashes the JVM on
 * BF16: F32 is read as is, F16 and BF16 are widened to F32 (exactly: every half value is a float).
 */
public final class SafeTensors {
  /** A header larger than this is not a safetensors file (the format itself caps it at 100 MB). */
  private static final long MAX_HEADER = 100L << 20;

  private SafeTensors() {}

  /** A float32 tensor in host memory, row-major. */
  public record Tensor(long[] shape, float[] data) {
    public Tensor {
      if (numel(shape) != data.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
      }
    }

    static long numel(long[] shape) {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  /** Every tensor in the file, in header order, as float32. */
  public static Map<String, Tensor> read(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      if (size < 8 || headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
        throw new DatasetFormatException(
            file,
            0,
            "expected a safetensors file (8-byte header length, JSON header, data); header length "
                + headerLength
                + " does not fit the file's "
                + size
                + " bytes");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, 8);
      JsonNode header;
      try {
        header = Json.PLAIN.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new DatasetFormatException(
            file, 0, "expected a safetensors JSON header: " + e.getMessage(), e);
      }
      if (header == null || !header.isObject()) {
        throw new DatasetFormatException(file, 0, "expected a safetensors JSON header object");
      }
      long dataStart = 8 + headerLength;
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (var e : header.properties()) {
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        tensors.put(
            e.getKey(), readTensor(file, channel, e.getKey(), e.getValue(), dataStart, size));
      }
      return tensors;
    } catch (NoSuchFileException e) {
      throw new DatasetFormatException(
          file, 0, "file not found; expected a safetensors weights file");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Tensor readTensor(
      Path file, FileChannel channel, String name, JsonNode info, long dataStart, long size)
      throws IOException {
    String dtype = info.path("dtype").asText();
    int width =
        switch (dtype) {
          case "F32" -> 4;
          case "F16", "BF16" -> 2;
          default ->
              throw new DatasetFormatException(
                  file,
                  0,
                  "tensor '" + name + "' has dtype " + dtype + "; expected F32, F16 or BF16");
        };
    JsonNode shapeNode = info.path("shape");
    JsonNode offsets = info.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new DatasetFormatException(
          file, 0, "tensor '" + name + "': expected \"shape\" and two \"data_offsets\"");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong();
    }
    long numel = Tensor.numel(shape);
    long begin = offsets.get(0).asLong();
    long end = offsets.get(1).asLong();
    if (end - begin != numel * width || begin < 0 || dataStart + end > size) {
      throw new DatasetFormatException(
          file,
          0,
          "tensor '"
              + name
              + "' of shape "
              + Arrays.toString(shape)
              + " and dtype "
              + dtype
              + " needs "
              + numel * width
              + " bytes; its data_offsets ["
              + begin
              + ", "
              + end
              + "] say "
              + (end - begin)
              + " within a data section of "
              + (size - dataStart));
    }
    if (numel > Integer.MAX_VALUE - 8) {
      throw new DatasetFormatException(
          file, 0, "tensor '" + name + "' has " + numel + " values; at most 2^31 are supported");
    }
    ByteBuffer bytes = ByteBuffer.allocate((int) (numel * width)).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, bytes, dataStart + begin);
    bytes.flip();
    float[] data = new float[(int) numel];
    switch (dtype) {
      case "F32" -> bytes.asFloatBuffer().get(data);
      case "F16" -> {
        for (int i = 0; i < data.length; i++) {
          data[i] = Float.float16ToFloat(bytes.getShort());
        }
      }
      default -> {
        // bfloat16 is the upper half of a float32: shift it back into place.
        for (int i = 0; i < data.length; i++) {
          data[i] = Float.intBitsToFloat((bytes.getShort() & 0xFFFF) << 16);
        }
      }
    }
    return new Tensor(shape, data);
  }

  /**
   * Writes float32 tensors in the given order, atomically (temporary file, then a move). The header
   * is padded with spaces to a multiple of 8 bytes, as the reference writer does, so the data is
   * aligned.
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
    ObjectNode header = Json.PLAIN.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (var e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      var shape = t.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      long bytes = (long) e.getValue().data().length * 4;
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json;
    try {
      json = Json.PLAIN.writeValueAsBytes(header);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    int padded = (json.length + 7) / 8 * 8;
    byte[] headerBytes = Arrays.copyOf(json, padded);
    Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
    AtomicFiles.writeBytes(
        file,
        channel -> {
          ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
          head.putLong(padded).put(headerBytes).flip();
          writeFully(channel, head);
          ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
          for (Tensor t : tensors.values()) {
            float[] data = t.data();
            for (int i = 0; i < data.length; ) {
              buf.clear();
              int n = Math.min(data.length - i, buf.capacity() / 4);
              buf.asFloatBuffer().put(data, i, n);
              buf.limit(n * 4);
              writeFully(channel, buf);
              i += n;
            }
          }
        });
  }

  private static void readFully(FileChannel channel, ByteBuffer buf, long position)
      throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, at);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + at);
      }
      at += n;
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      channel.write(buf);
    }
  }
}
