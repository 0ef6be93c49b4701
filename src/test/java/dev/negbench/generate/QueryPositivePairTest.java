package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.TinyDatasets;
import dev.negbench.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link QueryPositivePair}: which pairs a split gives, in which order, under which key. */
class QueryPositivePairTest {
  @TempDir Path tmp;
  private BeirDataset dataset;
  private final GeneratorProfile gen = GeneratorProfile.forModel("org/m");
  private final PromptTemplate template = PromptTemplate.defaultTemplate();

  /** q2 -> d3; q1 -> d2, d1; q3 has no positive (grade 0); q4's positive is not in the corpus. */
  @BeforeEach
  void write() throws IOException {
    dataset =
        BeirDataset.open(
            TinyDatasets.write(
                tmp.resolve("tiny"),
                """
                {"_id": "d1", "title": "T", "text": "one"}
                {"_id": "d2", "text": "two"}
                {"_id": "d3", "text": "three"}
                """,
                """
                {"_id": "q1", "text": "first"}
                {"_id": "q2", "text": "second"}
                {"_id": "q3", "text": "third"}
                {"_id": "q4", "text": "fourth"}
                """,
                "query-id\tcorpus-id\tscore\nq2\td3\t1\nq1\td2\t1\nq1\td1\t2\nq3\td1\t0\nq4\td9\t1\n"));
  }

  private List<QueryPositivePair> pairs(int limit, GenerationSettings.Positives which) {
    return QueryPositivePair.of(dataset, "test", gen, template, limit, 0, which);
  }

  private static List<String> ids(List<QueryPositivePair> pairs) {
    return pairs.stream().map(p -> p.query().id() + "/" + p.positiveId()).toList();
  }

  @Test
  void everyPositiveInQrelsOrderSkippingQueriesWithout() {
    List<QueryPositivePair> all = pairs(0, GenerationSettings.Positives.ALL);
    assertEquals(List.of("q2/d3", "q1/d2", "q1/d1", "q4/d9"), ids(all));
    assertEquals("three", all.get(0).positive());
    assertEquals("T one", all.get(2).positive(), "title and text");
    assertNull(all.get(3).positive(), "not in the corpus");
    assertEquals(
        template.render("fourth", "", gen.numNegatives()), all.get(3).messages(), "empty positive");
    assertEquals(
        List.of("q2/d3", "q1/d2", "q4/d9"), ids(pairs(0, GenerationSettings.Positives.FIRST)));
    assertEquals(
        List.of("q2/d3", "q1/d2", "q1/d1"),
        ids(pairs(2, GenerationSettings.Positives.ALL)),
        "the limit counts queries, not pairs");
  }

  @Test
  void maxPairsCountsPairsAfterTheLimit() {
    var three =
        QueryPositivePair.of(
            dataset, "test", gen, template, 0, 3, GenerationSettings.Positives.ALL);
    assertEquals(List.of("q2/d3", "q1/d2", "q1/d1"), ids(three));
    var two =
        QueryPositivePair.of(
            dataset, "test", gen, template, 1, 2, GenerationSettings.Positives.ALL);
    assertEquals(List.of("q2/d3"), ids(two), "the query limit applies first");
    var one =
        QueryPositivePair.of(
            dataset, "test", gen, template, 0, 1, GenerationSettings.Positives.FIRST);
    assertEquals(List.of("q2/d3"), ids(one));
  }

  @Test
  void keyedOnParametersPromptAndBothIds() {
    List<QueryPositivePair> all = pairs(0, GenerationSettings.Positives.ALL);
    QueryPositivePair p = all.get(1);
    PromptTemplate.Messages m = template.render("first", "two", gen.numNegatives());
    assertEquals(m, p.messages());
    assertEquals(
        AtomicFiles.sha256(
            gen.generationParameters()
                + "\u0000"
                + m.system()
                + "\u0000"
                + m.user()
                + "\u0000q1\u0000d2"),
        p.key());
    Set<String> keys = all.stream().map(QueryPositivePair::key).collect(Collectors.toSet());
    assertEquals(all.size(), keys.size());
    assertNotEquals(
        p.key(),
        QueryPositivePair.of(
                dataset,
                "test",
                gen.withNumNegatives(5),
                template,
                0,
                0,
                GenerationSettings.Positives.ALL)
            .get(1)
            .key(),
        "other generation parameters, other key");
  }
}
