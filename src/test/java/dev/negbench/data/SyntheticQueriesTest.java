package dev.negbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticQueriesTest {
  @Test
  void writesTheLastFifthAsTheTestSplitWithTheTargetGradedTwo(@TempDir Path tmp)
      throws IOException {
    var settings = new SyntheticDataset.Settings(300, 50, 3);
    SeededSampler random = new SeededSampler(settings.seed());
    SyntheticVocabulary vocabulary = new SyntheticVocabulary(random, settings.topics(), 300);
    SyntheticCorpus corpus = SyntheticCorpus.generate(300, random, vocabulary);
    SyntheticQueries.write(settings, corpus, vocabulary, random, tmp);
    assertEquals(50, Files.readAllLines(tmp.resolve("queries.jsonl")).size());
    List<String> train = Files.readAllLines(tmp.resolve("qrels/train.tsv"));
    List<String> test = Files.readAllLines(tmp.resolve("qrels/test.tsv"));
    assertEquals("query-id\tcorpus-id\tscore", train.get(0));
    assertEquals("query-id\tcorpus-id\tscore", test.get(0));
    assertTrue(train.get(1).startsWith("syn-q000000\t") && train.get(1).endsWith("\t2"));
    assertTrue(test.get(1).startsWith("syn-q000040\t") && test.get(1).endsWith("\t2"));
    assertEquals(10, test.stream().filter(l -> l.endsWith("\t2")).count());
  }

  @Test
  void gradesRelatedFamilyOneAndDistractorsZeroWhenTheyShareAQueryTerm() {
    SeededSampler random = new SeededSampler(11);
    SyntheticCorpus corpus =
        SyntheticCorpus.generate(400, random, new SyntheticVocabulary(random, 4, 400));
    int checked = 0;
    for (int t = 0; t < corpus.size(); t++) {
      SyntheticCorpus.Doc doc = corpus.doc(t);
      if (corpus.family(t).isEmpty()) {
        continue;
      }
      String[] keys = {doc.keyTerms()[0], doc.keyTerms()[1]};
      Map<Integer, Integer> grades = SyntheticQueries.grades(corpus, t, keys);
      assertEquals(Map.entry(t, 2), grades.entrySet().iterator().next(), "the target first");
      for (int other : corpus.family(t)) {
        SyntheticCorpus.Doc o = corpus.doc(other);
        // Every family member shares the first two key terms of its source.
        boolean related = o.related() || (doc.related() && other == doc.variantOf());
        assertEquals(related ? 1 : 0, grades.get(other), "family member " + other);
        checked++;
      }
    }
    assertTrue(checked > 50, "family members checked: " + checked);
  }
}
