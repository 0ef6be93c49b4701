package dev.negbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCorpusTest {
  private static SyntheticCorpus corpus(int documents) {
    SeededSampler random = new SeededSampler(11);
    return SyntheticCorpus.generate(
        documents, random, new SyntheticVocabulary(random, 4, documents));
  }

  @Test
  void variantsKeepHalfTheirSourcesKeyTermsAndJoinItsFamily() {
    SyntheticCorpus c = corpus(400);
    assertEquals(400, c.size());
    int variants = 0;
    for (int i = 0; i < c.size(); i++) {
      SyntheticCorpus.Doc d = c.doc(i);
      assertEquals(SyntheticCorpus.KEY_TERMS_PER_DOC, d.keyTerms().length);
      if (d.variantOf() < 0) {
        assertTrue(!d.related(), "only variants are related");
        continue;
      }
      variants++;
      SyntheticCorpus.Doc src = c.doc(d.variantOf());
      assertTrue(d.variantOf() < i, "a variant of an earlier document");
      assertEquals(src.topic(), d.topic());
      assertEquals(List.of(src.keyTerms()).subList(0, 2), List.of(d.keyTerms()).subList(0, 2));
      assertTrue(!src.hasKeyTerm(d.keyTerms()[2]) && !src.hasKeyTerm(d.keyTerms()[3]));
      assertTrue(c.family(i).contains(d.variantOf()));
      assertTrue(c.family(d.variantOf()).contains(i));
    }
    assertTrue(variants > 60 && variants < 120, "about a quarter are variants: " + variants);
  }

  @Test
  void writesOneJsonRowADocumentWithSentencesAndATitle(@TempDir Path tmp) throws IOException {
    SyntheticCorpus c = corpus(20);
    Path file = tmp.resolve("corpus.jsonl");
    c.write(file);
    List<String> lines = Files.readAllLines(file);
    assertEquals(20, lines.size());
    JsonNode row = Json.PLAIN.readTree(lines.get(3));
    assertEquals("syn-d0000003", row.get("_id").asText());
    assertEquals(c.doc(3).title(), row.get("title").asText());
    String text = row.get("text").asText();
    assertTrue(Character.isUpperCase(text.charAt(0)) && text.endsWith("."), text);
  }
}
