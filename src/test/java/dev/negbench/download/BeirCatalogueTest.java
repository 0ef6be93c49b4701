package dev.negbench.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.negbench.io.DatasetFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The committed catalogue of BEIR's datasets: complete, well-formed, and true to a real copy. */
class BeirCatalogueTest {
  /** BEIR's README table, the datasets it publishes a zip of, in its order. */
  private static final List<String> PUBLIC =
      List.of(
          "msmarco",
          "trec-covid",
          "nfcorpus",
          "nq",
          "hotpotqa",
          "fiqa",
          "arguana",
          "webis-touche2020",
          "cqadupstack",
          "quora",
          "dbpedia-entity",
          "scidocs",
          "fever",
          "climate-fever",
          "scifact");

  @Test
  void everyPublicBeirDatasetHasItsZipMd5AndSize() {
    BeirCatalogue c = BeirCatalogue.standard();
    assertEquals(PUBLIC, c.names());
    Set<String> md5s = new HashSet<>();
    for (String name : PUBLIC) {
      BeirCatalogue.Entry e = c.entry(name);
      assertEquals(name + ".zip", e.zip());
      assertTrue(md5s.add(e.md5()), "one MD5 a zip: " + name);
      assertTrue(e.zipBytes() != null && e.zipBytes() > 1_000_000, name);
      assertTrue(name.equals("cqadupstack") || e.documents() != null, name);
    }
    assertEquals("5f7d1de60b170fc8027bb7898e2efca1", c.entry("scifact").md5());
    for (String hidden : List.of("bioasq", "signal1m", "trec-news", "robust04")) {
      assertNull(c.entry(hidden).zip(), hidden + " is not public");
      assertNotNull(c.entry(hidden).splits().get("test").queries(), hidden);
    }
  }

  /** The twelve sub-forums of CQADupStack sum to the 13,145 test queries of BEIR's README. */
  @Test
  void cqadupstacksPartsSumToTheReadmesQueries() {
    List<BeirCatalogue.Entry> parts = BeirCatalogue.standard().parts("cqadupstack");
    assertEquals(12, parts.size());
    assertEquals(13_145, parts.stream().mapToLong(p -> p.splits().get("test").queries()).sum());
    assertEquals("cqadupstack", DataHome.downloadName(parts.get(0).name()), parts.get(0).name());
  }

  /** The scifact row counted by the project's reader on the real dataset. */
  @Test
  void theScifactRowMatchesTheRealDataset() {
    Path scifact = Path.of(System.getProperty("negbench.shared", "../shared"), "data/scifact");
    assumeTrue(Files.isDirectory(scifact), scifact + " is not here");
    BeirCatalogue.Entry e = BeirCatalogue.standard().entry("scifact");
    DatasetManifest.FolderCounts counts =
        FolderCheck.check(scifact, e, BeirCatalogue.standard().source());
    assertEquals(5183, counts.documents());
    assertEquals(1109, counts.queries());
    assertEquals(new BeirCatalogue.SplitCounts(809L, 919L, 919L), counts.splits().get("train"));
    assertEquals(new BeirCatalogue.SplitCounts(300L, 339L, 339L), counts.splits().get("test"));
  }

  @Test
  void aMalformedCatalogueNamesItsLine() {
    Path file = Path.of("cat.tsv");
    DatasetFormatException fields =
        assertThrows(
            DatasetFormatException.class,
            () ->
                BeirCatalogue.parse(
                    file, "name\tzip\tmd5\tzip_bytes\tdocuments\tqueries\tsplits\nx\tx.zip\n"));
    assertEquals(2, fields.line());
    DatasetFormatException md5 =
        assertThrows(
            DatasetFormatException.class,
            () ->
                BeirCatalogue.parse(
                    file,
                    "# c\nname\tzip\tmd5\tzip_bytes\tdocuments\tqueries\tsplits\nx\tx.zip\tnot-md5\t1\t1\t1\ttest=1/1/1\n"));
    assertEquals(3, md5.line());
    assertTrue(md5.getMessage().contains("MD5 (32 hex digits)"), md5.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BeirCatalogue.standard().entry("nosuch"));
  }
}
