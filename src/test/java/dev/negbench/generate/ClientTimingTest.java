package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's TTFT and TPOT against the timings the simulator logged for the same requests (joined
 * by X-Request-Id). The client's TTFT runs from when the request left the HTTP client, the
 * simulator's from when its handler got it: the difference is the localhost hop and request
 * parsing.
 */
class ClientTimingTest {
  private static final double TTFT_MS = 15;
  private static final double TPOT_MS = 1.5;

  @TempDir Path tmp;

  /** Medians of one run: client TTFT, applied TTFT, per-request TTFT difference, same for TPOT. */
  record Medians(
      double clientTtft,
      double simTtft,
      double ttftDiff,
      double clientTpot,
      double simTpot,
      double tpotDiff) {
    boolean agree() {
      return Math.abs(clientTtft - simTtft) <= 2
          && Math.abs(ttftDiff) <= 2
          && Math.abs(clientTpot - simTpot) <= 2
          && Math.abs(tpotDiff) <= 2;
    }
  }

  @Test
  void clientTtftAndTpotAgreeWithAppliedTimingsWithinTwoMsAtMedian() throws IOException {
    BeirDataset ds = GenerationTest.synthetic(tmp.resolve("data"), 60);
    Medians m = measure(ds, 1);
    if (!m.agree()) {
      // Two cores shared with other builds: one scheduling storm can shift a median; a real
      // disagreement (a wrong clock point, Nagle delays) repeats.
      m = measure(ds, 2);
    }
    assertTrue(
        m.simTtft() >= TTFT_MS && m.simTpot() >= TPOT_MS, "the simulator waited its timings: " + m);
    System.err.println("ClientTimingTest medians (ms): " + m);
    assertTrue(m.agree(), "client and applied timings differ by more than 2 ms at p50: " + m);
  }

  private Medians measure(BeirDataset ds, int round) throws IOException {
    Path out = tmp.resolve("gen" + round + ".jsonl");
    Path log = tmp.resolve("timings" + round + ".jsonl");
    // Warm up the JIT on both sides first (zero think time): the comparison is about steady-state
    // measurement, not the first requests' interpreted code.
    try (Simulator warm = Simulator.start(SimProfile.instant())) {
      Generation.run(
          ds,
          "train",
          GenerationTest.fastProfile().withNumNegatives(2),
          List.of(warm.baseUrl()),
          GenerationTest.fastSettings(2),
          tmp.resolve("warmup" + round + ".jsonl"),
          Progress.Factory.NONE);
    }
    SimProfile sim = SimProfile.instant().withTimings(TTFT_MS, TPOT_MS).withTimingsLog(log);
    try (Simulator server = Simulator.start(sim)) {
      // One request at a time: the measurement, not contention between our own requests.
      Generation.run(
          ds,
          "train",
          GenerationTest.fastProfile().withNumNegatives(1),
          List.of(server.baseUrl()),
          GenerationTest.fastSettings(1),
          out,
          Progress.Factory.NONE);
    }
    Map<String, JsonNode> applied = new HashMap<>();
    for (JsonNode r : GenerationTest.lines(log)) {
      applied.put(r.get("request_id").asText(), r);
    }
    List<Double> clientTtft = new ArrayList<>();
    List<Double> simTtft = new ArrayList<>();
    List<Double> clientTpot = new ArrayList<>();
    List<Double> simTpot = new ArrayList<>();
    List<Double> ttftDiff = new ArrayList<>();
    List<Double> tpotDiff = new ArrayList<>();
    for (JsonNode row : GenerationTest.lines(out)) {
      JsonNode m = row.get("metrics");
      JsonNode a = applied.get(m.get("request_id").asText());
      assertTrue(a != null, "the simulator logged request " + m.get("request_id"));
      assertEquals(a.get("completion_tokens").asLong(), m.get("completion_tokens").asLong());
      assertEquals("usage", m.get("token_source").asText());
      assertEquals(
          a.get("itl_ms").size(),
          m.get("itl_ms").size(),
          "one inter-token latency per streamed token after the first");
      clientTtft.add(m.get("ttft_ms").asDouble());
      simTtft.add(a.get("ttft_ms").asDouble());
      ttftDiff.add(m.get("ttft_ms").asDouble() - a.get("ttft_ms").asDouble());
      clientTpot.add(m.get("tpot_ms").asDouble());
      simTpot.add(a.get("tpot_ms").asDouble());
      tpotDiff.add(m.get("tpot_ms").asDouble() - a.get("tpot_ms").asDouble());
    }
    assertTrue(clientTtft.size() >= 40);
    return new Medians(
        Stats.of(clientTtft).median(),
        Stats.of(simTtft).median(),
        Stats.of(ttftDiff).median(),
        Stats.of(clientTpot).median(),
        Stats.of(simTpot).median(),
        Stats.of(tpotDiff).median());
  }
}
