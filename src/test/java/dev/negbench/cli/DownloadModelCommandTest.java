package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.download.FakeHub;
import dev.negbench.model.Fixtures;
import dev.negbench.model.ModelResolver;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code download model} against a hub on the loopback ({@link FakeHub}) serving the tiny
 * DistilBERT fixture: the cache it writes is huggingface_hub's layout and ModelResolver's input.
 */
class DownloadModelCommandTest {
  @TempDir Path tmp;
  private FakeHub hub;
  private Path cache;

  @BeforeEach
  void start() throws IOException {
    hub = new FakeHub();
    cache = tmp.resolve("hub");
    DownloadModelCommand.environment = name -> null; // no HF_TOKEN or HF_ENDPOINT of this machine
  }

  @AfterEach
  void stop() {
    hub.close();
    DownloadModelCommand.environment = System::getenv;
  }

  private CliTest.Outcome download(String repo, String... more) {
    List<String> args =
        Stream.concat(
                Stream.of("download", "model", repo, "--endpoint=" + hub.url(), "--cache=" + cache),
                Stream.of(more))
            .toList();
    return CliTest.run(args.toArray(String[]::new));
  }

  private static byte[] fixture(String file) throws IOException {
    return Files.readAllBytes(Fixtures.dir(Fixtures.BI_ENCODER).resolve(file));
  }

  @Test
  void writesHuggingFaceLayoutThatModelResolverFindsAndRerunsAsANoOp() throws IOException {
    FakeHub.Repo repo =
        hub.addModel("org/tiny", Fixtures.dir(Fixtures.BI_ENCODER), null, FakeHub.Fault.NONE);
    CliTest.Outcome o = download("org/tiny");
    assertEquals(0, o.code(), o.err());
    Path root = cache.resolve("models--org--tiny");
    Path snapshot = root.resolve("snapshots").resolve(repo.commit());
    assertEquals(snapshot.toString(), o.out().strip(), "the snapshot folder is printed");
    assertTrue(o.err().contains("3 files, 3 fetched"), o.err());

    // refs/main holds the commit, as huggingface_hub writes it: no newline.
    assertEquals(repo.commit(), Files.readString(root.resolve("refs/main")));
    // blobs named by hash: the git blob id of a git file, the SHA-256 of an LFS file.
    Map<String, String> blobOf =
        Map.of(
            "config.json", FakeHub.gitOid(fixture("config.json")),
            "tokenizer.json", FakeHub.gitOid(fixture("tokenizer.json")),
            "model.safetensors", FakeHub.sha256(fixture("model.safetensors")));
    assertEquals(Set.copyOf(blobOf.values()), names(root.resolve("blobs")), "no .incomplete left");
    assertEquals(blobOf.keySet(), names(snapshot));
    for (Map.Entry<String, String> e : blobOf.entrySet()) {
      Path link = snapshot.resolve(e.getKey());
      assertTrue(Files.isSymbolicLink(link), e.getKey());
      assertEquals(Path.of("../../blobs/" + e.getValue()), Files.readSymbolicLink(link));
      assertEquals(-1, Files.mismatch(link, Fixtures.dir(Fixtures.BI_ENCODER).resolve(e.getKey())));
    }
    ModelResolver.Resolved found = new ModelResolver(cache).resolve("org/tiny", tmp);
    assertEquals(snapshot, found.dir());
    // Redirects were followed: relative to the resolve cache, absolute to the CDN.
    assertEquals(1, hub.count("/api/resolve-cache/models/org/tiny/"));
    assertEquals(1, hub.count("/cdn/"));

    int before = hub.requests().size();
    CliTest.Outcome again = download("org/tiny");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains("0 fetched"), again.err());
    assertEquals(
        List.of("GET /api/models/org/tiny/revision/main"),
        hub.requests().subList(before, hub.requests().size()),
        "a rerun asks for the listing and fetches nothing");
  }

  @Test
  void includeTakesNestedFilesLinkedOneLevelDeeperAndDryRunWritesNothing() throws IOException {
    FakeHub.Repo repo =
        hub.addModel("org/tiny", Fixtures.dir(Fixtures.BI_ENCODER), null, FakeHub.Fault.NONE);
    CliTest.Outcome plan = download("org/tiny", "--dry-run", "--include", "onnx/", "*.md");
    assertEquals(0, plan.code(), plan.err());
    assertTrue(plan.out().contains("onnx/model.onnx"), plan.out());
    assertTrue(plan.out().contains("README.md"), plan.out());
    assertTrue(plan.out().contains("4.1 MB"), plan.out());
    assertTrue(plan.out().contains("2 files of org/tiny at main"), plan.out());
    assertFalse(Files.exists(cache), "a dry run writes nothing");

    CliTest.Outcome o =
        download("org/tiny", "-q", "--revision", repo.commit(), "--include", "onnx/");
    assertEquals(0, o.code(), o.err());
    Path root = cache.resolve("models--org--tiny");
    Path link = root.resolve("snapshots").resolve(repo.commit()).resolve("onnx/model.onnx");
    assertEquals(
        Path.of("../../../blobs/" + FakeHub.sha256(fixture("model.onnx"))),
        Files.readSymbolicLink(link));
    assertEquals(-1, Files.mismatch(link, Fixtures.dir(Fixtures.BI_ENCODER).resolve("model.onnx")));
    assertFalse(Files.exists(root.resolve("refs")), "a commit hash gets no ref, as with the hub");
  }

  @Test
  void wrongSha256ExitsTwoAndLeavesNothing() throws IOException {
    hub.addModel(
        "org/corrupt", Fixtures.dir(Fixtures.BI_ENCODER), null, FakeHub.Fault.WRONG_SHA256);
    CliTest.Outcome o = download("org/corrupt", "-q");
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("org/corrupt/model.safetensors: SHA-256"), o.err());
    assertFalse(Files.exists(cache.resolve("models--org--corrupt")), "no blob, link or ref");
  }

  @Test
  void gatedRepositoryNeedsHfToken() throws IOException {
    hub.addModel("org/gated", Fixtures.dir(Fixtures.BI_ENCODER), "secret", FakeHub.Fault.NONE);
    CliTest.Outcome refused = download("org/gated", "-q");
    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().contains("HF_TOKEN"), refused.err());
    assertTrue(
        refused.err().contains("accept its licence at " + hub.url() + "/org/gated"), refused.err());
    assertFalse(Files.exists(cache.resolve("models--org--gated")));

    // The token and the hub both come from the environment here.
    DownloadModelCommand.environment = Map.of("HF_TOKEN", "secret", "HF_ENDPOINT", hub.url())::get;
    CliTest.Outcome o = CliTest.run("download", "model", "org/gated", "-q", "--cache=" + cache);
    assertEquals(0, o.code(), o.err());
    assertTrue(
        Files.isRegularFile(
            cache
                .resolve("models--org--gated/snapshots")
                .resolve(o.out().strip())
                .resolve("config.json")));
    assertTrue(hub.authorizations().contains("Bearer secret"));
  }

  @Test
  void unknownRepositoryExitsTwoAndUnreachableHostExitsOne() throws IOException {
    CliTest.Outcome missing = download("org/none", "-q");
    assertEquals(2, missing.code(), missing.err());
    assertTrue(missing.err().contains("no model repository 'org/none'"), missing.err());

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CliTest.Outcome down =
        CliTest.run(
            "download",
            "model",
            "org/tiny",
            "-q",
            "--endpoint=http://127.0.0.1:" + port,
            "--cache=" + cache);
    assertEquals(1, down.code(), down.err());
    assertTrue(down.err().contains("cannot reach 127.0.0.1:" + port), down.err());
    assertFalse(Files.exists(cache));
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }
}
