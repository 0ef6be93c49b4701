package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's parts on hand-made inputs with known answers. */
class ClientPartsTest {
  @TempDir Path tmp;

  @Test
  void parsesJsonObjectsArraysFencesAndNumberedLists() {
    assertEquals(
        List.of("a b", "c"), CompletionParser.passages("{\"passages\": [\"a b\", \"c\"]}"));
    assertEquals(
        List.of("x", "y"),
        CompletionParser.passages("Sure!\n```json\n[\"x\", {\"text\": \"y\"}]\n```"));
    assertEquals(
        List.of("p"),
        CompletionParser.passages(
            "<think>I should write {\"no\": 1}</think>{\"negatives\": [\"p\"]}"));
    assertEquals(
        List.of("First passage spans two lines.", "Second one.", "Third."),
        CompletionParser.passages(
            "Here you go:\n1. First passage\nspans two lines.\n2) Second one.\nPassage 3: Third."));
    assertEquals(List.of(), CompletionParser.passages(""));
    assertEquals(List.of(), CompletionParser.passages("no structure at all"));
  }

  @Test
  void validatorRejectsWithReasons() {
    String positive =
        "Aspirin lowers the risk of stroke in adults. It is cheap and widely available.";
    NegativeValidator v =
        new NegativeValidator(
            new GeneratorProfile.Validation(10, 0.2, 2.0),
            "does aspirin lower stroke risk",
            positive);
    assertEquals("empty", v.reject("  "));
    assertEquals("copy_of_positive", v.reject(positive.toUpperCase(Locale.ROOT)));
    assertEquals("too_short", v.reject("Short one."));
    assertEquals("too_long", v.reject("word ".repeat(80)));
    assertEquals(
        "contains_answer_sentence",
        v.reject("Background. Aspirin lowers the risk of stroke in adults. More text here."));
    String ok = "Ibuprofen eases joint pain in adults. It is cheap and sold everywhere.";
    assertNull(v.reject(ok));
    assertEquals("duplicate", v.reject(ok));
  }

  @Test
  void sseReaderHandlesLfCrlfLoneCrMultilineAndNoFinalBlankLine() throws IOException {
    String text =
        ": comment\r\ndata: one\r\n\r\ndata: two\rdata: lines\r\rid: 3\nevent: x\ndata:three\n\ndata: [DONE]";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    // Fed in every split, as network reads cut it anywhere (between CR and LF too).
    for (int cut = 0; cut <= bytes.length; cut++) {
      SseReader r = new SseReader();
      List<String> events = new ArrayList<>();
      r.feed(ByteBuffer.wrap(bytes, 0, cut), events::add);
      r.feed(ByteBuffer.wrap(bytes, cut, bytes.length - cut), events::add);
      r.finish(events::add);
      assertEquals(List.of("one", "two\nlines", "three", "[DONE]"), events, "cut at " + cut);
    }
  }

  @Test
  void completionsUrlFromBaseUrls() {
    assertEquals(
        URI.create("http://h:1/v1/chat/completions"),
        ChatClient.completionsUri(URI.create("http://h:1/v1")));
    assertEquals(
        URI.create("http://h:1/v1/chat/completions"),
        ChatClient.completionsUri(URI.create("http://h:1/v1/")));
    assertEquals(
        URI.create("http://h:1/v1/chat/completions"),
        ChatClient.completionsUri(URI.create("http://h:1")));
    assertEquals(
        URI.create("http://h:1/x/chat/completions"),
        ChatClient.completionsUri(URI.create("http://h:1/x/chat/completions")));
  }

  @Test
  void requestBodyCarriesThePapersSamplingAndProfileExtras() throws IOException {
    Path p = tmp.resolve("qwen.json");
    Files.writeString(
        p,
        "{\"model\": \"Qwen/Qwen3-8B\", \"extra_body\": {\"chat_template_kwargs\": {\"enable_thinking\": false}}, \"sampling\": {\"seed\": 7}}");
    GeneratorProfile profile = GeneratorProfile.load(p);
    ChatClient client = new ChatClient(profile, ChatClient.newHttpClient(1), null);
    var body = Json.PLAIN.readTree(client.body(new PromptTemplate.Messages("sys", "user")));
    assertEquals("Qwen/Qwen3-8B", body.get("model").asText());
    assertEquals(0.6, body.get("temperature").asDouble());
    assertEquals(0.95, body.get("top_p").asDouble());
    assertEquals(20, body.get("top_k").asInt());
    assertEquals(0.0, body.get("min_p").asDouble());
    assertEquals(1024, body.get("max_tokens").asInt());
    assertEquals(7, body.get("seed").asInt());
    assertTrue(body.get("stream").asBoolean());
    assertTrue(body.get("stream_options").get("include_usage").asBoolean());
    assertEquals("json_object", body.get("response_format").get("type").asText());
    assertEquals(false, body.get("chat_template_kwargs").get("enable_thinking").asBoolean());
    assertEquals("system", body.get("messages").get(0).get("role").asText());
  }

  @Test
  void everyShippedProfileLoads() throws IOException {
    Path configs = Path.of("configs", "generators");
    int generators = 0;
    int sims = 0;
    try (var files = Files.list(configs)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        GeneratorProfile g = GeneratorProfile.load(f);
        assertTrue(g.paramsBillions() > 0 && g.cost().usdPerGpuHour() > 0, f.toString());
        assertEquals(0.6, g.sampling().temperature());
        generators++;
      }
    }
    try (var files = Files.list(configs.resolve("sim"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        SimProfile.load(f);
        sims++;
      }
    }
    assertEquals(6, generators);
    assertTrue(sims >= 7);
  }

  @Test
  void bareModelNameIsAProfileOfDefaultsAndMissingJsonIsAnError() {
    GeneratorProfile g = GeneratorProfile.resolve("Qwen/Qwen3-14B");
    assertEquals("qwen3-14b", g.name());
    assertEquals(1024, g.sampling().maxTokens());
    assertEquals(3, g.numNegatives());
    var e =
        assertThrows(
            DatasetFormatException.class,
            () -> GeneratorProfile.resolve(tmp.resolve("nope.json").toString()));
    assertTrue(e.getMessage().contains("file not found"));
  }

  @Test
  void templatePlaceholders() {
    PromptTemplate t = PromptTemplate.defaultTemplate();
    PromptTemplate.Messages m = t.render("what $1 is", "the \\ passage", 4);
    assertTrue(m.user().contains("<query>\nwhat $1 is\n</query>"), m.user());
    assertTrue(m.user().contains("the \\ passage"));
    assertTrue(m.user().contains("Write 4 passages"));
    assertTrue(m.system().startsWith("You write hard negative passages"));
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PromptTemplate.parse("t", "{{query}} {{positive}} {{n}} {{extra}}", null));
    assertTrue(e.getMessage().contains("unknown placeholder {{extra}}"));
  }

  @Test
  void gammaArrivalsHaveTheRateAndBurstiness() {
    for (double burstiness : new double[] {0.5, 1, 4}) {
      Arrivals a = new Arrivals(20, burstiness, 1);
      int n = 200_000;
      double sum = 0;
      double sq = 0;
      for (int i = 0; i < n; i++) {
        double g = a.nextGapSeconds();
        sum += g;
        sq += g * g;
      }
      double mean = sum / n;
      double cv2 = (sq / n - mean * mean) / (mean * mean);
      assertEquals(1 / 20.0, mean, 0.001, "mean gap");
      assertEquals(
          1 / burstiness,
          cv2,
          0.05 / burstiness,
          "squared coefficient of variation of a gamma with shape " + burstiness);
    }
    assertEquals(0, new Arrivals(Double.POSITIVE_INFINITY, 1, 1).nextGapSeconds());
    assertThrows(IllegalArgumentException.class, () -> new Arrivals(0, 1, 1));
  }

  @Test
  void leastOutstandingEndpoint() {
    EndpointPool pool =
        new EndpointPool(
            List.of(
                URI.create("http://a:1/v1"),
                URI.create("http://b:1/v1"),
                URI.create("http://c:1/v1")));
    int x = pool.acquire();
    int y = pool.acquire();
    int z = pool.acquire();
    assertEquals(3, Set.of(x, y, z).size(), "spread over idle endpoints");
    pool.release(y);
    assertEquals(y, pool.acquire(), "the one with nothing outstanding");
    assertThrows(IllegalArgumentException.class, () -> new EndpointPool(List.of()));
  }

  @Test
  void percentilesInterpolateLikeNumpy() {
    Stats s = Stats.of(List.of(1.0, 2.0, 3.0, 4.0, Double.NaN));
    assertEquals(4, s.count());
    assertEquals(2.5, s.mean());
    assertEquals(2.5, s.median());
    assertEquals(3.7, s.p90(), 1e-12);
    assertEquals(3.97, s.p99(), 1e-12);
    assertTrue(Double.isNaN(Stats.of(List.of()).median()));
  }

  @Test
  void simulatorPassagesAreDeterministicAndSwapKeyTerms() {
    String prompt =
        PromptTemplate.defaultTemplate()
            .render(
                "zinc and copper uptake",
                "Zinc uptake rises with copper. Plants store zinc in roots.",
                3)
            .user();
    List<String> a = SimPassages.generate(prompt, false);
    assertEquals(a, SimPassages.generate(prompt, false));
    assertEquals(3, a.size());
    for (String p : a) {
      assertTrue(!p.toLowerCase(Locale.ROOT).contains("zinc"), p);
    }
    assertEquals(
        "Zinc uptake rises with copper. Plants store zinc in roots.",
        SimPassages.generate(prompt, true).get(0));
  }
}
