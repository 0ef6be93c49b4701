package dev.negbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DJL DistilBERT and BERT blocks against PyTorch's golden outputs for the tiny fixtures. */
class TransformerBlockTest {
  static NDArray matrix(NDManager m, JsonNode rows) {
    int r = rows.size();
    int c = rows.get(0).size();
    long[] data = new long[r * c];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        data[i * c + j] = rows.get(i).get(j).asLong();
      }
    }
    return m.create(data, new Shape(r, c));
  }

  @Test
  void distilbertHiddenStateAndMeanPoolingEqualGolden() throws IOException {
    JsonNode g = Fixtures.golden(Fixtures.BI_ENCODER);
    double atol = g.get("atol").asDouble();
    try (DjlModel model =
            DjlModel.open(Fixtures.dir(Fixtures.BI_ENCODER).toString(), Device.cpu());
        NDManager m = model.manager().newSubManager()) {
      assertEquals("distilbert", model.config().modelType());
      NDArray ids = matrix(m, g.get("input_ids"));
      NDArray mask = matrix(m, g.get("attention_mask"));
      NDArray hidden = model.block().hidden(ids, mask, null);
      float[] h = hidden.toFloatArray();
      int rows = g.get("last_hidden_state").size();
      int tokens = g.get("last_hidden_state").get(0).size();
      int dim = g.get("last_hidden_state").get(0).get(0).size();
      assertArrayEquals(new long[] {rows, tokens, dim}, hidden.getShape().getShape());
      for (int r = 0; r < rows; r++) {
        for (int t = 0; t < tokens; t++) {
          for (int d = 0; d < dim; d++) {
            assertEquals(
                g.get("last_hidden_state").get(r).get(t).get(d).asDouble(),
                h[(r * tokens + t) * dim + d],
                atol,
                r + "/" + t + "/" + d);
          }
        }
      }
      float[] pooled = TransformerBlock.meanPool(hidden, mask).toFloatArray();
      for (int r = 0; r < rows; r++) {
        for (int d = 0; d < dim; d++) {
          assertEquals(
              g.get("mean_pooled").get(r).get(d).asDouble(),
              pooled[r * dim + d],
              atol,
              r + "/" + d);
        }
      }
    }
  }

  @Test
  void djlEncoderFromTextsEqualsGolden() throws IOException {
    JsonNode g = Fixtures.golden(Fixtures.BI_ENCODER);
    List<String> texts = new ArrayList<>();
    g.get("texts").forEach(t -> texts.add(t.asText()));
    try (TextEncoder encoder =
        Encoders.open(
            Fixtures.dir(Fixtures.BI_ENCODER).toString(),
            512,
            2,
            1,
            Encoders.Engine.DJL,
            "cpu",
            Pooling.MEAN)) {
      assertTrue(encoder instanceof DjlEncoder);
      float[][] e = encoder.encode(texts, false, Progress.NONE);
      for (int i = 0; i < texts.size(); i++) {
        for (int d = 0; d < e[i].length; d++) {
          assertEquals(g.get("mean_pooled").get(i).get(d).asDouble(), e[i][d], 1e-4, i + "/" + d);
        }
      }
    }
  }

  @Test
  void bertCrossEncoderLogitsEqualGolden() throws IOException {
    JsonNode g = Fixtures.golden(Fixtures.CROSS_ENCODER);
    try (DjlModel model =
            DjlModel.open(Fixtures.dir(Fixtures.CROSS_ENCODER).toString(), Device.cpu());
        NDManager m = model.manager().newSubManager()) {
      assertEquals(1, model.config().labels());
      float[] logits =
          model
              .block()
              .logits(
                  matrix(m, g.get("input_ids")),
                  matrix(m, g.get("attention_mask")),
                  matrix(m, g.get("token_type_ids")))
              .toFloatArray();
      assertEquals(g.get("logits").size(), logits.length);
      for (int i = 0; i < logits.length; i++) {
        assertEquals(
            g.get("logits").get(i).get(0).asDouble(),
            logits[i],
            g.get("atol").asDouble(),
            "pair " + i);
      }
    }
  }

  @Test
  void savedCheckpointHasHuggingFaceNamesAndReloadsIdentically(@TempDir Path tmp) {
    List<String> texts =
        List.of(
            "what causes global warming",
            "a longer passage about the causes of warming and carbon dioxide");
    Path original = Fixtures.dir(Fixtures.BI_ENCODER).resolve("model.safetensors");
    Path out = tmp.resolve("ckpt");
    float[][] before;
    try (DjlEncoder encoder =
        DjlEncoder.open(
            Fixtures.dir(Fixtures.BI_ENCODER).toString(), 128, 8, 1, "cpu", Pooling.MEAN, false)) {
      before = encoder.encode(texts, true, Progress.NONE);
      encoder.model().save(out, 128);
    }
    assertEquals(
        shapes(SafeTensors.read(original)),
        shapes(SafeTensors.read(out.resolve("model.safetensors"))));
    assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
    assertTrue(Files.isRegularFile(out.resolve("1_Pooling/config.json")));
    try (TextEncoder reloaded = Encoders.open(out.toString(), 128, 8, 1)) {
      assertTrue(reloaded instanceof DjlEncoder, "a folder with model.safetensors opens on DJL");
      float[][] after = reloaded.encode(texts, true, Progress.NONE);
      for (int i = 0; i < texts.size(); i++) {
        assertArrayEquals(before[i], after[i], "text " + i);
      }
    }
  }

  @Test
  void bertCheckpointKeepsPrefixedNamesAndHead(@TempDir Path tmp) {
    Path original = Fixtures.dir(Fixtures.CROSS_ENCODER).resolve("model.safetensors");
    try (DjlModel model =
        DjlModel.open(Fixtures.dir(Fixtures.CROSS_ENCODER).toString(), Device.cpu())) {
      model.save(tmp, 128);
    }
    assertEquals(
        shapes(SafeTensors.read(original)),
        shapes(SafeTensors.read(tmp.resolve("model.safetensors"))));
  }

  @Test
  void halfPrecisionWeightsWidenExactly(@TempDir Path tmp) {
    Map<String, SafeTensors.Tensor> f32 =
        SafeTensors.read(Fixtures.dir(Fixtures.BI_ENCODER).resolve("model.safetensors"));
    for (String dtype : List.of("F16", "BF16")) {
      Path file = tmp.resolve(dtype + ".safetensors");
      writeHalf(file, f32, dtype);
      Map<String, SafeTensors.Tensor> read = SafeTensors.read(file);
      assertEquals(shapes(f32), shapes(read));
      for (var e : f32.entrySet()) {
        float[] want = e.getValue().data();
        float[] got = read.get(e.getKey()).data();
        for (int i = 0; i < want.length; i++) {
          float rounded =
              dtype.equals("F16")
                  ? Float.float16ToFloat(Float.floatToFloat16(want[i]))
                  : bf16(want[i]);
          assertEquals(rounded, got[i], 0f, e.getKey() + "[" + i + "]");
        }
      }
    }
  }

  @Test
  void badCheckpointsAreFormatErrors(@TempDir Path tmp) throws IOException {
    Path dir = Fixtures.copy(Fixtures.BI_ENCODER, tmp.resolve("m"));
    Map<String, SafeTensors.Tensor> weights =
        new LinkedHashMap<>(
            SafeTensors.read(Fixtures.dir(Fixtures.BI_ENCODER).resolve("model.safetensors")));
    weights.remove("transformer.layer.1.ffn.lin2.weight");
    SafeTensors.write(dir.resolve("model.safetensors"), weights, Map.of());
    var missing =
        assertThrows(
            DatasetFormatException.class, () -> DjlModel.open(dir.toString(), Device.cpu()));
    assertTrue(
        missing.getMessage().contains("transformer.layer.1.ffn.lin2.weight"), missing.getMessage());

    weights.put(
        "transformer.layer.1.ffn.lin2.weight",
        new SafeTensors.Tensor(new long[] {64, 32}, new float[64 * 32]));
    SafeTensors.write(dir.resolve("model.safetensors"), weights, Map.of());
    var misshapen =
        assertThrows(
            DatasetFormatException.class, () -> DjlModel.open(dir.toString(), Device.cpu()));
    assertTrue(
        misshapen.getMessage().contains("[64, 32]") && misshapen.getMessage().contains("[32, 64]"),
        misshapen.getMessage());

    Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gpt2\", \"vocab_size\": 10}");
    var arch =
        assertThrows(
            DatasetFormatException.class, () -> DjlModel.open(dir.toString(), Device.cpu()));
    assertTrue(arch.getMessage().contains("gpt2"), arch.getMessage());

    Path pickle = Files.createDirectories(tmp.resolve("pickle"));
    Files.copy(
        Fixtures.dir(Fixtures.BI_ENCODER).resolve("config.json"), pickle.resolve("config.json"));
    Files.copy(
        Fixtures.dir(Fixtures.BI_ENCODER).resolve("tokenizer.json"),
        pickle.resolve("tokenizer.json"));
    Files.writeString(pickle.resolve("pytorch_model.bin"), "not read");
    var bin =
        assertThrows(
            DatasetFormatException.class, () -> Encoders.open(pickle.toString(), 128, 8, 1));
    assertTrue(bin.getMessage().contains("safe_serialization"), bin.getMessage());
  }

  private static Map<String, List<Long>> shapes(Map<String, SafeTensors.Tensor> t) {
    Map<String, List<Long>> out = new TreeMap<>();
    t.forEach((k, v) -> out.put(k, Arrays.stream(v.shape()).boxed().toList()));
    return out;
  }

  private static float bf16(float f) {
    return Float.intBitsToFloat(
        Float.floatToIntBits(f) & 0xFFFF0000); // truncation, as written below
  }

  /** A safetensors file in F16 or BF16 (BF16 by truncating float32's low half), written by hand. */
  private static void writeHalf(Path file, Map<String, SafeTensors.Tensor> tensors, String dtype) {
    StringBuilder header = new StringBuilder("{");
    long offset = 0;
    for (var e : tensors.entrySet()) {
      long bytes = e.getValue().data().length * 2L;
      header
          .append(header.length() > 1 ? "," : "")
          .append('"')
          .append(e.getKey())
          .append("\":{\"dtype\":\"")
          .append(dtype)
          .append("\",\"shape\":")
          .append(Arrays.toString(e.getValue().shape()).replace(" ", ""))
          .append(",\"data_offsets\":[")
          .append(offset)
          .append(',')
          .append(offset + bytes)
          .append("]}");
      offset += bytes;
    }
    header.append('}');
    byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf =
        ByteBuffer.allocate((int) (8 + h.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(h.length).put(h);
    for (SafeTensors.Tensor t : tensors.values()) {
      for (float f : t.data()) {
        buf.putShort(
            dtype.equals("F16")
                ? Float.floatToFloat16(f)
                : (short) (Float.floatToIntBits(f) >>> 16));
      }
    }
    try {
      Files.write(file, buf.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
