package dev.negbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextTokenizerTest {
  @TempDir Path tmp;

  @Test
  void pairsEqualGoldenIdsMasksAndTypeIds() throws IOException {
    JsonNode g = Fixtures.golden(Fixtures.CROSS_ENCODER);
    try (TextTokenizer tok =
        TextTokenizer.load(Fixtures.dir(Fixtures.CROSS_ENCODER).resolve("tokenizer.json"), 512)) {
      for (int i = 0; i < g.get("pairs").size(); i++) {
        JsonNode pair = g.get("pairs").get(i);
        JsonNode mask = g.get("attention_mask").get(i);
        Encoding e = tok.encode(pair.get(0).asText(), pair.get(1).asText());
        assertArrayEquals(
            Fixtures.unpadded(g.get("input_ids").get(i), mask), e.ids(), "ids of pair " + i);
        assertArrayEquals(
            Fixtures.unpadded(g.get("token_type_ids").get(i), mask),
            e.typeIds(),
            "type ids of pair " + i);
        assertArrayEquals(Fixtures.unpadded(mask, mask), e.mask(), "mask of pair " + i);
      }
    }
  }

  @Test
  void singleTextsEqualGoldenAndAreNotPaddedTo128() throws IOException {
    // The shipped tokenizer.json pads to a fixed 128; our options must switch that off.
    JsonNode g = Fixtures.golden(Fixtures.BI_ENCODER);
    try (TextTokenizer tok =
        TextTokenizer.load(Fixtures.dir(Fixtures.BI_ENCODER).resolve("tokenizer.json"), 512)) {
      for (int i = 0; i < g.get("texts").size(); i++) {
        JsonNode mask = g.get("attention_mask").get(i);
        Encoding e = tok.encode(g.get("texts").get(i).asText());
        assertArrayEquals(
            Fixtures.unpadded(g.get("input_ids").get(i), mask), e.ids(), "ids of text " + i);
        assertTrue(e.length() < 128);
      }
    }
  }

  @Test
  void truncatesLongestFirstToMaxLengthKeepingSpecialTokens() {
    String passage = "word ".repeat(1000);
    try (TextTokenizer tok =
        TextTokenizer.load(Fixtures.dir(Fixtures.CROSS_ENCODER).resolve("tokenizer.json"), 200)) {
      Encoding e = tok.encode("how do vaccines work", passage);
      assertEquals(200, e.length(), "beyond the file's own 128, below the default 512");
      assertEquals(101, e.ids()[0]);
      assertEquals(102, e.ids()[199]);
      // The short query is kept whole: [CLS] + 4 query tokens + [SEP] have type 0.
      assertEquals(6, Arrays.stream(e.typeIds()).filter(t -> t == 0).count());
    }
  }

  @Test
  void missingOrBrokenTokenizerNamesTheFile() throws IOException {
    Path missing = tmp.resolve("tokenizer.json");
    var e = assertThrows(DatasetFormatException.class, () -> TextTokenizer.load(missing, 512));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    Files.writeString(missing, "{\"version\": \"1.0\"");
    e = assertThrows(DatasetFormatException.class, () -> TextTokenizer.load(missing, 512));
    assertTrue(
        e.getMessage().startsWith(missing + ": expected a Hugging Face tokenizer.json"),
        e.getMessage());
  }
}
