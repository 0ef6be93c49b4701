package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas under the fault mix (429 with Retry-After, 500, slow, cut streams, malformed JSON,
 * empty answers, copied positives), 150 queries at concurrency 16: one replica killed after 30
 * queries, or refusing connections from the start. Before the pool marked replicas down, 105 and 47
 * of 150 queries ended failed this way (the dead replica won every least-outstanding pick). The
 * loop under test is {@link RequestLoop} over an {@link EndpointPool}.
 */
class ReplicaFailoverTest {
  @TempDir Path tmp;

  /**
   * The fault mix with a little think time, so that a replica can die mid-run; each replica its own
   * fault seed.
   */
  static SimProfile faulty(long seed) {
    return SimProfile.instant()
        .withTimings(5, 0.2)
        .withFaults(GenerationTest.ALL_FAULTS)
        .withQuirks(new SimProfile.Quirks(true, true, true))
        .withSeed(seed);
  }

  static GenerationSettings settings() {
    // One request per query (its first positive): the counts below are per query, as the faults
    // are.
    return GenerationTest.fastSettings(16)
        .withHealth(new GenerationSettings.Health(5, 20, 200, 10_000))
        .withPositives(GenerationSettings.Positives.FIRST);
  }

  /** Every query once, in the output and in the cache; returns the count per status. */
  static Map<String, Integer> checkEachQueryOnce(BeirDataset ds, Path out) throws IOException {
    List<JsonNode> rows = GenerationTest.lines(out);
    Set<String> ids = new HashSet<>();
    Map<String, Integer> statuses = new HashMap<>();
    for (JsonNode r : rows) {
      assertTrue(ids.add(r.get("query_id").asText()), "duplicate " + r.get("query_id"));
      statuses.merge(r.get("status").asText(), 1, Integer::sum);
      if (r.get("status").asText().equals("failed")) {
        long reached = 0;
        for (JsonNode a : r.get("attempts")) {
          reached += a.get("status").asText().equals(ChatClient.CONNECT_ERROR) ? 0 : 1;
        }
        assertEquals(
            4, reached, "a query fails only after max_attempts requests reached a server: " + r);
      }
    }
    assertEquals(ds.qrels("train").queryIds(), ids);
    Set<String> keys = new HashSet<>();
    for (JsonNode c : GenerationTest.lines(GenerationOutcome.defaultCacheFile(out))) {
      assertTrue(
          keys.add(c.get("key").asText()),
          "a query was written to the cache twice: " + c.get("query_id"));
    }
    return statuses;
  }

  @Test
  void aReplicaKilledAfter30QueriesCostsAtMost8Of150() throws Exception {
    BeirDataset ds = GenerationFixtures.withTrainQueries(tmp.resolve("data"), 150);
    Path out = tmp.resolve("gen.jsonl");
    GenerationOutcome s;
    try (Simulator a = Simulator.start(faulty(7));
        Simulator b = Simulator.start(faulty(8))) {
      var killed = GenerationFixtures.killAfter(GenerationOutcome.defaultCacheFile(out), 30, a);
      s =
          Generation.run(
              ds,
              "train",
              GenerationTest.fastProfile(),
              List.of(a.baseUrl(), b.baseUrl()),
              settings(),
              out,
              Progress.Factory.NONE);
      killed.get();
    }
    Map<String, Integer> statuses = checkEachQueryOnce(ds, out);
    EndpointPool.Stats killed = s.endpoints().get(0);
    EndpointPool.Stats alive = s.endpoints().get(1);
    System.err.println(
        "ReplicaFailoverTest killed after 30: "
            + statuses
            + "; "
            + killed.describe()
            + "; "
            + alive.describe());
    assertTrue(statuses.getOrDefault("failed", 0) <= 8, statuses.toString());
    assertTrue(killed.markedDown() >= 1 && !killed.up(), killed.describe());
    assertTrue(killed.downSeconds() > 0, killed.describe());
    assertTrue(alive.requests() > killed.requests(), alive.describe() + " / " + killed.describe());
    assertEquals(
        s.row().requests(),
        killed.requests() + alive.requests(),
        "every request is counted on its endpoint");
    // Both replicas are priced, for the whole run.
    assertEquals(2, s.row().replicas());
    assertEquals(s.row().durationS() * 2, s.row().gpuSeconds(), 1e-9);
    JsonNode summary = Json.PLAIN.readTree(GenerationOutcome.summaryFile(out).toFile());
    assertEquals(2, summary.get("endpoints").size());
    assertEquals(2, summary.get("row").get("replicas").asInt());
  }

  @Test
  void aReplicaDownForTheWholeRunCostsAtMost8Of150() throws Exception {
    BeirDataset ds = GenerationFixtures.withTrainQueries(tmp.resolve("data"), 150);
    Path out = tmp.resolve("gen.jsonl");
    URI dead = GenerationFixtures.refusingEndpoint();
    GenerationOutcome s;
    try (Simulator b = Simulator.start(faulty(8))) {
      s =
          Generation.run(
              ds,
              "train",
              GenerationTest.fastProfile(),
              List.of(dead, b.baseUrl()),
              settings(),
              out,
              Progress.Factory.NONE);
    }
    Map<String, Integer> statuses = checkEachQueryOnce(ds, out);
    EndpointPool.Stats down = s.endpoints().get(0);
    System.err.println(
        "ReplicaFailoverTest down from the start: "
            + statuses
            + "; "
            + down.describe()
            + "; "
            + s.endpoints().get(1).describe());
    assertTrue(statuses.getOrDefault("failed", 0) <= 8, statuses.toString());
    assertEquals(Set.of(ChatClient.CONNECT_ERROR), down.errors().keySet(), down.describe());
    assertEquals(0, down.ok());
    // Refused at once, so marked down at once: only requests already on their way went there.
    assertTrue(down.requests() <= 16, down.describe());
    assertFalse(down.up());
  }

  @Test
  void aRefusedConnectionMarksDownAtOnceAndAProbeBringsItBack() throws Exception {
    Simulator server = Simulator.start(SimProfile.instant());
    URI url = server.baseUrl();
    int port = url.getPort();
    server.close();
    GenerationSettings.Health health = new GenerationSettings.Health(5, 10, 40, 60_000);
    var http = ChatClient.newHttpClient(1);
    ChatClient client = new ChatClient(GenerationTest.fastProfile(), http, null);
    byte[] body = client.body(new PromptTemplate.Messages("", "hello"));
    try (EndpointPool pool = new EndpointPool(List.of(url), health, client::probe)) {
      int ep = pool.acquire();
      ChatClient.Attempt refused = client.send(pool.endpoint(ep), body, "");
      pool.release(ep, refused);
      assertEquals(ChatClient.CONNECT_ERROR, refused.metrics().status(), refused.error());
      assertFalse(pool.stats().get(0).up());
      // Back on the same port: the next probe finds it and a waiting request goes through.
      try (Simulator again = Simulator.start(SimProfile.instant(), "127.0.0.1", port)) {
        long t0 = System.nanoTime();
        ep = pool.acquire();
        ChatClient.Attempt ok = client.send(pool.endpoint(ep), body, "");
        pool.release(ep, ok);
        assertTrue(ok.ok(), ok.error());
        assertTrue(
            (System.nanoTime() - t0) / 1e9 < 30, "waited for the probe, not the down timeout");
      }
      EndpointPool.Stats st = pool.stats().get(0);
      assertEquals(1, st.markedDown());
      assertEquals(Map.of(ChatClient.CONNECT_ERROR, 1L), st.errors());
      assertTrue(st.up() && st.downSeconds() > 0, st.describe());
    } finally {
      http.close();
    }
  }

  @Test
  void theProbeAsksForTheModelsListBesideCompletions() {
    assertEquals(
        URI.create("http://h:1/v1/models"), ChatClient.modelsUri(URI.create("http://h:1/v1")));
    assertEquals(
        URI.create("http://h:1/v1/models"), ChatClient.modelsUri(URI.create("http://h:1/")));
    assertEquals(
        URI.create("http://h:1/x/models"),
        ChatClient.modelsUri(URI.create("http://h:1/x/chat/completions")));
  }

  @Test
  void fiveConsecutiveServerErrorsMarkDownAndOtherAnswersResetTheCount() {
    var ok = attempt(RequestMetrics.OK, 200);
    var err500 = attempt(ChatClient.HTTP_RETRYABLE, 500);
    var err429 = attempt(ChatClient.HTTP_RETRYABLE, 429);
    var malformed = attempt(ChatClient.MALFORMED, 200);
    assertTrue(EndpointPool.replicaFault(err500));
    assertFalse(EndpointPool.replicaFault(err429));
    assertFalse(EndpointPool.replicaFault(malformed));
    assertEquals("http_500", EndpointPool.kind(err500));
    assertEquals("malformed", EndpointPool.kind(malformed));
    try (EndpointPool pool =
        new EndpointPool(List.of(URI.create("http://a:1/v1"), URI.create("http://b:1/v1")))) {
      for (var a :
          List.of(
              err500, err500, err500, err500, err429, err500, err500, err500, err500, malformed,
              ok)) {
        pool.release(pool.acquire(1), a); // 1 is avoided while 0 is up
      }
      assertTrue(pool.stats().get(0).up(), "no five in a row yet");
      for (int i = 0; i < 5; i++) {
        pool.release(pool.acquire(1), err500);
      }
      assertFalse(pool.stats().get(0).up());
      assertEquals(
          1, pool.acquire(1), "the last one up takes requests even when it is the one to avoid");
      EndpointPool.Stats st = pool.stats().get(0);
      assertEquals(16, st.requests());
      assertEquals(1, st.ok());
      assertEquals(Map.of("http_500", 13L, "http_429", 1L, "malformed", 1L), st.errors());
    }
  }

  private static ChatClient.Attempt attempt(String status, int code) {
    RequestMetrics m =
        new RequestMetrics("r", "e", status, code, 1, 1, List.of(), 1, 0, -1, -1, "none", 0);
    return new ChatClient.Attempt(
        m,
        status.equals(RequestMetrics.OK) ? "x" : null,
        "",
        null,
        status.equals(RequestMetrics.OK) ? null : "e",
        -1);
  }
}
