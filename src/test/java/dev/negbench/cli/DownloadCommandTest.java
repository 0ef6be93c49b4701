package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.data.TinyDatasets;
import dev.negbench.download.BeirZips;
import dev.negbench.download.DatasetManifest;
import dev.negbench.download.FakeHub;
import dev.negbench.download.ZipServer;
import dev.negbench.io.Json;
import dev.negbench.model.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code negbench download beir} against a real HTTP server on the loopback serving fixture zips in
 * BEIR's path layout: fetched, checked, unpacked, counted and put in place; a rerun fetches
 * nothing; a wrong MD5, a cut connection, an escaping zip entry and counts that differ from the
 * catalogue. {@code download --config}: its datasets, and its models sized by {@code
 * HubModelDownloads} against a local hub ({@code FakeHub}).
 */
class DownloadCommandTest {
  @TempDir Path tmp;

  private CliTest.Outcome download(ZipServer server, Path catalogue, String... names) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "download",
                "beir",
                "--mirror",
                server.base().toString(),
                "--data",
                tmp.resolve("data").toString(),
                "--catalogue",
                catalogue.toString()));
    args.addAll(List.of(names));
    return CliTest.run(args.toArray(String[]::new));
  }

  /** What the data home holds, by relative path (folders and files). */
  private List<String> dataHome() throws IOException {
    Path home = tmp.resolve("data");
    if (!Files.exists(home)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(home)) {
      return walk.filter(p -> !p.equals(home))
          .map(p -> home.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void aDatasetIsFetchedCheckedAndPutInPlaceAndARerunIsANoOp() throws Exception {
    byte[] zip = BeirZips.small(tmp.resolve("src"), "tiny");
    Path catalogue = BeirZips.catalogue(tmp.resolve("cat.tsv"), BeirZips.row("tiny", zip));
    try (ZipServer server = new ZipServer().serve("tiny.zip", zip)) {
      CliTest.Outcome first = download(server, catalogue, "tiny");
      assertEquals(0, first.code(), first.err());
      assertEquals(zip.length, server.bytesSent());
      Path dir = tmp.resolve("data/tiny");
      assertEquals(
          List.of(
              "tiny",
              "tiny/corpus.jsonl",
              "tiny/negbench-dataset.json",
              "tiny/qrels",
              "tiny/qrels/test.tsv",
              "tiny/qrels/train.tsv",
              "tiny/queries.jsonl"),
          dataHome(),
          "the folder and nothing else: no zip, part, state or unpacking folder");
      JsonNode manifest = Json.PLAIN.readTree(dir.resolve(DatasetManifest.FILE).toFile());
      assertEquals("tiny", manifest.path("name").asText());
      assertEquals(BeirZips.md5(zip), manifest.path("md5").asText());
      assertEquals(server.base() + "tiny.zip", manifest.path("url").asText());
      assertEquals(6, manifest.path("counts").path("documents").asInt());
      assertEquals(
          3, manifest.path("counts").path("splits").path("train").path("relevant").asInt());
      assertTrue(manifest.path("downloaded").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));

      CliTest.Outcome again = download(server, catalogue, "tiny");
      assertEquals(0, again.code(), again.err());
      assertTrue(again.err().contains("tiny: already there"), again.err());
      assertEquals(zip.length, server.bytesSent(), "nothing fetched the second time");
    }
  }

  @Test
  void aWrongMd5ExitsTwoAndLeavesNothing() throws Exception {
    byte[] zip = BeirZips.small(tmp.resolve("src"), "tiny");
    String wrong = "0123456789abcdef0123456789abcdef";
    Path catalogue =
        BeirZips.catalogue(
            tmp.resolve("cat.tsv"),
            "tiny\ttiny.zip\t" + wrong + "\t" + zip.length + "\t" + BeirZips.SMALL_COUNTS);
    try (ZipServer server = new ZipServer().serve("tiny.zip", zip)) {
      CliTest.Outcome o = download(server, catalogue, "tiny");
      assertEquals(2, o.code(), o.err());
      assertTrue(
          o.err().contains("has MD5 " + BeirZips.md5(zip))
              && o.err().contains("expected " + wrong)
              && o.err().contains(server.base() + "tiny.zip"),
          o.err());
      assertEquals(List.of(), dataHome(), "no folder, no zip part");
    }
  }

  /**
   * The connection breaks after 300 bytes: exit 1, the 300 bytes kept; the rerun asks for the rest
   * from byte 300 and the server sends the file's bytes exactly once in all.
   */
  @Test
  void aCutConnectionResumesFromTheByteItReached() throws Exception {
    byte[] zip = BeirZips.small(tmp.resolve("src"), "tiny");
    assertTrue(zip.length > 600, "a zip to cut halfway: " + zip.length);
    Path catalogue = BeirZips.catalogue(tmp.resolve("cat.tsv"), BeirZips.row("tiny", zip));
    try (ZipServer server = new ZipServer().serve("tiny.zip", zip)) {
      server.cutNextAfter(300);
      CliTest.Outcome cut = download(server, catalogue, "tiny");
      assertEquals(1, cut.code(), cut.err());
      assertTrue(cut.err().contains("stopped at byte 300"), cut.err());
      assertEquals(300, Files.size(tmp.resolve("data/tiny.zip.part")));
      assertFalse(Files.exists(tmp.resolve("data/tiny")));

      CliTest.Outcome resumed = download(server, catalogue, "tiny");
      assertEquals(0, resumed.code(), resumed.err());
      assertEquals(List.of("", "bytes=300-"), server.ranges());
      assertEquals(zip.length, server.bytesSent(), "every byte sent once");
      assertTrue(Files.isRegularFile(tmp.resolve("data/tiny/corpus.jsonl")));
      assertFalse(Files.exists(tmp.resolve("data/tiny.zip.part")));
    }
  }

  /** A server that answers a range with the whole file (200): the part is started over. */
  @Test
  void aServerThatIgnoresRangesStartsTheFileOver() throws Exception {
    byte[] zip = BeirZips.small(tmp.resolve("src"), "tiny");
    Path catalogue = BeirZips.catalogue(tmp.resolve("cat.tsv"), BeirZips.row("tiny", zip));
    try (ZipServer server = new ZipServer().serve("tiny.zip", zip)) {
      server.cutNextAfter(300);
      assertEquals(1, download(server, catalogue, "tiny").code());
      server.ignoreRanges(true);
      CliTest.Outcome o = download(server, catalogue, "tiny");
      assertEquals(0, o.code(), o.err());
      assertEquals(300 + zip.length, server.bytesSent());
      assertTrue(Files.isRegularFile(tmp.resolve("data/tiny/negbench-dataset.json")));
    }
  }

  @Test
  void aZipEntryThatEscapesIsRefused() throws Exception {
    Path src = TinyDatasets.small(tmp.resolve("src/tiny"));
    byte[] zip = BeirZips.zip(src, "tiny/", Map.of("tiny/../../escaped.txt", "outside"));
    Path catalogue = BeirZips.catalogue(tmp.resolve("cat.tsv"), BeirZips.row("tiny", zip));
    try (ZipServer server = new ZipServer().serve("tiny.zip", zip)) {
      CliTest.Outcome o = download(server, catalogue, "tiny");
      assertEquals(2, o.code(), o.err());
      assertTrue(o.err().contains("refused zip entry 'tiny/../../escaped.txt'"), o.err());
      assertEquals(List.of(), dataHome());
      assertFalse(Files.exists(tmp.resolve("escaped.txt")));
    }
  }

  @Test
  void countsThatDifferFromTheCatalogueExitTwoNamingThem() throws Exception {
    byte[] zip = BeirZips.small(tmp.resolve("src"), "tiny");
    Path catalogue =
        BeirZips.catalogue(
            tmp.resolve("cat.tsv"),
            "tiny\ttiny.zip\t"
                + BeirZips.md5(zip)
                + "\t"
                + zip.length
                + "\t7\t4\ttest=1/1/1 dev=1/1/1");
    try (ZipServer server = new ZipServer().serve("tiny.zip", zip)) {
      CliTest.Outcome o = download(server, catalogue, "tiny");
      assertEquals(2, o.code(), o.err());
      assertTrue(
          o.err().contains("no qrels/dev.tsv") && o.err().contains("documents 6, expected 7"),
          o.err());
      assertEquals(List.of(), dataHome());
    }
  }

  @Test
  void anUnknownNameOrAnUnreachableHostFailsClearly() throws Exception {
    byte[] zip = BeirZips.small(tmp.resolve("src"), "tiny");
    Path catalogue = BeirZips.catalogue(tmp.resolve("cat.tsv"), BeirZips.row("tiny", zip));
    try (ZipServer server = new ZipServer().serve("tiny.zip", zip)) {
      CliTest.Outcome unknown = download(server, catalogue, "tiny", "nosuch");
      assertEquals(2, unknown.code(), unknown.err());
      assertTrue(unknown.err().contains("unknown BEIR dataset 'nosuch'"), unknown.err());
      assertEquals(0, server.bytesSent(), "every name is checked before anything is fetched");
    }
    // The server is closed now: its port refuses connections.
    CliTest.Outcome down =
        CliTest.run(
            "download",
            "beir",
            "--mirror",
            "http://127.0.0.1:1/datasets/",
            "--data",
            tmp.resolve("data").toString(),
            "--catalogue",
            catalogue.toString(),
            "tiny");
    assertEquals(1, down.code(), down.err());
    assertTrue(down.err().contains("cannot reach 127.0.0.1"), down.err());
    assertEquals(List.of(), dataHome());
  }

  @Test
  void commandsWithoutASubcommandOrConfigSayWhatTheyExpect() {
    CliTest.Outcome o = CliTest.run("download");
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("expected a subcommand (beir, model) or --config FILE"), o.err());
    CliTest.Outcome help = CliTest.run("download", "--help");
    assertTrue(help.out().contains("beir") && help.out().contains("--config"), help.out());
  }

  /**
   * configs/paper.yaml before anything is fetched: every dataset with its zip size from the
   * catalogue, every model with the size of the files download model would take, as the hub
   * ($HF_ENDPOINT, a local one here) lists them; nothing is fetched, and the hub is asked for
   * listings only.
   */
  @Test
  void aDryRunListsEveryDatasetAndModelOfTheConfigWithItsSize() throws Exception {
    try (ZipServer server = new ZipServer();
        FakeHub models = new FakeHub();
        AutoCloseable home = BeirZips.dataHome(tmp.resolve("data"));
        AutoCloseable hub = Fixtures.hubCache(Files.createDirectories(tmp.resolve("hub")))) {
      models.addModel(
          "distilbert-base-uncased", Fixtures.dir(Fixtures.BI_ENCODER), null, FakeHub.Fault.NONE);
      models.addModel(
          "cross-encoder/ms-marco-MiniLM-L6-v2",
          Fixtures.dir(Fixtures.CROSS_ENCODER),
          null,
          FakeHub.Fault.NONE);
      DownloadModelCommand.environment = name -> "HF_ENDPOINT".equals(name) ? models.url() : null;
      CliTest.Outcome o;
      try {
        o =
            CliTest.run(
                "download",
                "--config",
                "configs/paper.yaml",
                "--mirror",
                server.base().toString(),
                "--data",
                tmp.resolve("data").toString(),
                "--dry-run");
      } finally {
        DownloadModelCommand.environment = System::getenv;
      }
      assertEquals(0, o.code(), o.err());
      Map<String, String> sizes =
          Map.ofEntries(
              Map.entry("msmarco", "1,082,258,632 bytes (1.1 GB)"),
              Map.entry("arguana", "3,773,617 bytes (3.8 MB)"),
              Map.entry("climate-fever", "1,228,666,652 bytes (1.2 GB)"),
              Map.entry("dbpedia-entity", "639,285,131 bytes (639.3 MB)"),
              Map.entry("fiqa", "17,948,027 bytes (17.9 MB)"),
              Map.entry("nfcorpus", "2,448,432 bytes (2.4 MB)"),
              Map.entry("nq", "498,307,926 bytes (498.3 MB)"),
              Map.entry("scidocs", "142,471,588 bytes (142.5 MB)"),
              Map.entry("scifact", "2,816,079 bytes (2.8 MB)"),
              Map.entry("trec-covid", "73,876,720 bytes (73.9 MB)"),
              Map.entry("webis-touche2020", "227,132,363 bytes (227.1 MB)"));
      for (var e : sizes.entrySet()) {
        assertTrue(
            o.out()
                .lines()
                .anyMatch(
                    l -> l.matches("  " + e.getKey() + " +\\Q" + e.getValue() + "\\E +to fetch")),
            e + " in\n" + o.out());
      }
      assertTrue(o.out().contains("names 11 BEIR datasets"), o.out());
      for (String[] m :
          List.of(
              new String[] {"distilbert-base-uncased", Fixtures.BI_ENCODER},
              new String[] {"cross-encoder/ms-marco-MiniLM-L6-v2", Fixtures.CROSS_ENCODER})) {
        long listed = 0;
        for (String f : List.of("config.json", "tokenizer.json", "model.safetensors")) {
          listed += Files.size(Fixtures.dir(m[1]).resolve(f));
        }
        String bytes = String.format(Locale.ROOT, "%,d bytes", listed);
        assertTrue(
            o.out()
                .lines()
                .anyMatch(l -> l.contains(m[0]) && l.contains(bytes) && l.contains("to fetch")),
            bytes + " for " + m[0] + " in\n" + o.out());
      }
      assertTrue(
          models.requests().stream().allMatch(r -> r.contains("/api/models/")),
          "listings only: " + models.requests());
      assertTrue(
          o.out().lines().anyMatch(l -> l.contains("minilm") && l.contains("built in")), o.out());
      assertTrue(o.out().contains("to fetch: 11 datasets, 3,918,985,167 bytes"), o.out());
      assertEquals(List.of(), server.ranges(), "a dry run fetches nothing");
      assertEquals(List.of(), dataHome());
    }
  }

  /**
   * A config's missing beir: dataset is fetched, then listed as already there; --check passes. The
   * fixture stands in for scifact (a name the config check knows), its catalogue row given by
   * --catalogue.
   */
  @Test
  void aConfigFetchesItsMissingDatasetsOnce() throws Exception {
    byte[] zip = BeirZips.small(tmp.resolve("src"), "scifact");
    Path catalogue = BeirZips.catalogue(tmp.resolve("cat.tsv"), BeirZips.row("scifact", zip));
    Path config = tmp.resolve("exp.yaml");
    Files.writeString(
        config,
        "name: x\ndatasets: [beir:scifact]\nsources: [{type: bm25}]\ntraining: {model: minilm}\n");
    try (ZipServer server = new ZipServer().serve("scifact.zip", zip);
        AutoCloseable home = BeirZips.dataHome(tmp.resolve("data"))) {
      String[] args = {
        "download",
        "--config",
        config.toString(),
        "--mirror",
        server.base().toString(),
        "--catalogue",
        catalogue.toString()
      };
      CliTest.Outcome first = CliTest.run(args);
      assertEquals(0, first.code(), first.err());
      assertTrue(first.out().matches("(?s).*  scifact +\\d[^\\n]* to fetch\n.*"), first.out());
      CliTest.Outcome second = CliTest.run(args);
      assertEquals(0, second.code(), second.err());
      assertTrue(second.out().contains("already there"), second.out());
      assertEquals(zip.length, server.bytesSent());
      CliTest.Outcome check = CliTest.run("reproduce", "--check", "--config", config.toString());
      assertEquals(0, check.code(), check.err());
    }
  }

  /** Every --dataset takes beir:NAME, the folder in the data home; a missing one names the fix. */
  @Test
  void aCommandsDatasetMayBeABeirName() throws Exception {
    TinyDatasets.small(tmp.resolve("data/tiny"));
    try (AutoCloseable home = BeirZips.dataHome(tmp.resolve("data"))) {
      CliTest.Outcome ok =
          CliTest.run(
              "bm25-search",
              "--dataset",
              "beir:tiny",
              "--split",
              "test",
              "--work-dir",
              tmp.resolve("work").toString(),
              "--run",
              tmp.resolve("tiny.run").toString());
      assertEquals(0, ok.code(), ok.err());
      assertTrue(Files.readString(tmp.resolve("tiny.run")).startsWith("q1 Q0 "));
      CliTest.Outcome missing =
          CliTest.run(
              "bm25-search",
              "--dataset",
              "beir:nfcorpus",
              "--split",
              "test",
              "--run",
              tmp.resolve("x.run").toString());
      assertEquals(2, missing.code(), missing.err());
      assertTrue(
          missing.err().contains("beir:nfcorpus is not downloaded")
              && missing.err().contains("bin/negbench download beir nfcorpus"),
          missing.err());
    }
  }
}
