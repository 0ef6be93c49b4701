package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChatRequestBody}: the exact bytes sent for a prompt. */
class ChatRequestBodyTest {
  @TempDir Path tmp;

  private static String body(GeneratorProfile p, String system, String user) {
    return new String(
        ChatRequestBody.of(p, new PromptTemplate.Messages(system, user)), StandardCharsets.UTF_8);
  }

  @Test
  void defaultsStreamJsonWithThePapersSampling() {
    assertEquals(
        "{\"model\":\"org/m\",\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
            + "{\"role\":\"user\",\"content\":\"u \\\"q\\\"\"}],"
            + "\"temperature\":0.6,\"top_p\":0.95,\"top_k\":20,\"min_p\":0.0,\"max_tokens\":1024,"
            + "\"response_format\":{\"type\":\"json_object\"},"
            + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
        body(GeneratorProfile.forModel("org/m"), "s", "u \"q\""));
  }

  @Test
  void noSystemMessageWhenEmptyAndNoStreamFieldsWhenNotStreaming() {
    assertEquals(
        "{\"model\":\"org/m\",\"messages\":[{\"role\":\"user\",\"content\":\"u\"}],"
            + "\"temperature\":0.6,\"top_p\":0.95,\"top_k\":20,\"min_p\":0.0,\"max_tokens\":1024,"
            + "\"response_format\":{\"type\":\"json_object\"}}",
        body(GeneratorProfile.forModel("org/m").withStream(false), "", "u"));
  }

  @Test
  void extraBodyComesLastAndOverridesSampling() throws IOException {
    Path p = tmp.resolve("p.json");
    Files.writeString(
        p,
        "{\"model\": \"m\", \"response_format\": \"none\", \"stream\": false,"
            + " \"sampling\": {\"seed\": 3},"
            + " \"extra_body\": {\"temperature\": 0.1, \"repetition_penalty\": 1.05}}");
    assertEquals(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"u\"}],"
            + "\"temperature\":0.1,\"top_p\":0.95,\"top_k\":20,\"min_p\":0.0,\"max_tokens\":1024,"
            + "\"seed\":3,\"repetition_penalty\":1.05}",
        body(GeneratorProfile.load(p), "", "u"));
  }
}
