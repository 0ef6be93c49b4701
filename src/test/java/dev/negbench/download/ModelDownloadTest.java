package dev.negbench.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Progress;
import dev.negbench.model.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDownloadTest {
  @TempDir Path tmp;
  private FakeHub hub;
  private Path cache;

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHub();
    cache = tmp.resolve("hub");
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private ModelDownload download() {
    return new ModelDownload(cache, hub.url(), null, Progress.Factory.NONE);
  }

  private static Path fixture() {
    return Fixtures.dir(Fixtures.BI_ENCODER);
  }

  @Test
  void planListsWhatNegbenchReadsWithSizesAndWritesNothing() throws IOException {
    hub.addModel("org/tiny", fixture(), null, FakeHub.Fault.NONE);
    List<HubFile> plan = download().plan("org/tiny", "main", List.of());
    assertEquals(
        List.of("config.json", "tokenizer.json", "model.safetensors"),
        plan.stream().map(HubFile::path).toList());
    for (HubFile f : plan) {
      assertEquals(Files.size(fixture().resolve(f.path())), f.size(), f.path());
    }
    assertTrue(plan.get(2).lfs(), "the weights are an LFS file");
    assertFalse(Files.exists(cache), "a plan writes nothing");
    assertEquals(List.of("GET /api/models/org/tiny/revision/main"), hub.requests());
  }

  @Test
  void includeGlobsMatchAsFnmatchDoes() {
    assertTrue(FileSelection.glob("*.json").matcher("onnx/config.json").matches(), "* crosses /");
    assertTrue(FileSelection.glob("onnx/").matcher("onnx/model.onnx").matches());
    assertFalse(FileSelection.glob("onnx/").matcher("model.onnx").matches());
    assertTrue(FileSelection.glob("model.?nnx").matcher("model.onnx").matches());
    assertTrue(FileSelection.glob("[!R]*").matcher("config.json").matches());
    assertFalse(FileSelection.glob("[!R]*").matcher("README.md").matches());
    assertFalse(
        FileSelection.glob("model.*").matcher("modelXsafetensors").matches(), ". is literal");
  }

  @Test
  void defaultSetTakesOnnxWithoutSafetensorsAndFailsWithoutWeights() {
    HubFile config = new HubFile("config.json", 10, "a", null);
    HubFile onnx = new HubFile("onnx/model.onnx", 10, "b", "c");
    HubFile readme = new HubFile("README.md", 10, "d", null);
    assertEquals(
        List.of(config, onnx),
        FileSelection.select("org/x", List.of(readme, config, onnx), List.of()));
    HubException e =
        assertThrows(
            HubException.class,
            () -> FileSelection.select("org/x", List.of(config, readme), List.of()));
    assertTrue(e.getMessage().contains("--include"), e.getMessage());
    assertThrows(
        HubException.class, () -> FileSelection.select("org/x", List.of(config), List.of("*.bin")));
  }

  @Test
  void aConnectionCutHalfwayLeavesNothing() throws IOException {
    hub.addModel("org/cut", fixture(), null, FakeHub.Fault.CUT);
    UncheckedIOException e =
        assertThrows(
            UncheckedIOException.class, () -> download().download("org/cut", "main", List.of()));
    assertTrue(e.getMessage().contains("org/cut/model.safetensors"), e.getMessage());
    assertFalse(Files.exists(cache.resolve("models--org--cut")), "nothing is left");
  }

  @Test
  void aFailedDownloadKeepsWhatAnEarlierOneLeft() throws IOException {
    FakeHub.Repo good = hub.addModel("org/tiny", fixture(), null, FakeHub.Fault.NONE);
    ModelDownload.Result first = download().download("org/tiny", "main", List.of());
    assertEquals(3, first.fetched());
    List<Path> before = tree(cache);
    hub.add(
        new FakeHub.Repo(
            good.id(), good.commit(), good.files(), good.lfs(), null, FakeHub.Fault.WRONG_SHA256));
    HubException e =
        assertThrows(
            HubException.class, () -> download().download("org/tiny", "main", List.of("onnx/")));
    assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    assertEquals(before, tree(cache), "the earlier snapshot stays, nothing is added");
  }

  @Test
  void aBlobAlreadyInTheCacheIsLinkedNotFetched() throws IOException {
    hub.addModel("org/tiny", fixture(), null, FakeHub.Fault.NONE);
    ModelDownload.Result first = download().download("org/tiny", "main", List.of());
    Path repo = cache.resolve("models--org--tiny");
    AtomicFiles.deleteTree(repo.resolve("snapshots"));
    long resolves = hub.count("/org/tiny/resolve/");
    ModelDownload.Result again = download().download("org/tiny", "main", List.of());
    assertEquals(0, again.fetched());
    assertEquals(resolves, hub.count("/org/tiny/resolve/"), "no file was asked for");
    assertEquals(first.snapshot(), again.snapshot());
    assertTrue(Files.isRegularFile(again.snapshot().resolve("model.safetensors")));
  }

  private static List<Path> tree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.map(dir::relativize).sorted().toList();
    }
  }
}
