package dev.negbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.io.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltinModelsTest {
  @TempDir Path tmp;

  @Test
  void minilmIsUnpackedByTheBuildAndTruncatesAt256NotTheFiles128() {
    Path dir = BuiltinModels.resolve("minilm");
    assertTrue(Files.isRegularFile(dir.resolve("model.onnx")), dir.toString());
    try (OnnxEncoder encoder = OnnxEncoder.open(dir, 256, 8, 1)) {
      assertEquals(256, encoder.maxLength());
      assertEquals(512, encoder.folder().maxPositions());
      String longText = "retrieval ".repeat(400);
      try (TextTokenizer tokenizer =
          TextTokenizer.load(encoder.folder().tokenizer(), encoder.maxLength())) {
        assertEquals(256, tokenizer.encode(longText).length());
        assertTrue(tokenizer.encode("dense retrieval").length() < 8, "no padding to 128");
      }
      float[][] e = encoder.encode(List.of("dense retrieval", longText), true, Progress.NONE);
      assertEquals(384, e[0].length);
      double norm = 0;
      for (float x : e[0]) {
        norm += x * x;
      }
      assertEquals(1.0, norm, 1e-5);
    }
  }

  @Test
  void aFolderPassesThroughAndAMissingBuiltinSaysToBuild() {
    assertEquals(tmp, BuiltinModels.resolve(tmp.toString()));
    String old = System.getProperty("negbench.home");
    System.setProperty("negbench.home", tmp.resolve("nowhere").toString());
    try {
      var e = assertThrows(IllegalArgumentException.class, () -> BuiltinModels.resolve("minilm"));
      assertTrue(e.getMessage().contains("mvn package"), e.getMessage());
      assertTrue(
          e.getMessage().contains(tmp.resolve("nowhere").resolve("target").toString()),
          e.getMessage());
    } finally {
      if (old == null) {
        System.clearProperty("negbench.home");
      } else {
        System.setProperty("negbench.home", old);
      }
    }
    assertFalse(BuiltinModels.isBuiltin("distilbert-tiny"));
  }
}
