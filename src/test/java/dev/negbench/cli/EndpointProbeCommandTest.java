package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.negbench.generate.SimProfile;
import dev.negbench.generate.Simulator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reproduce --check} asks each llm endpoint for its models ({@code EndpointProbe}): a
 * stopped server and one serving another model exit 2 naming the config file and the endpoint's
 * line; the profile's model, or negbench's simulator, passes; {@code --no-probe} asks nothing.
 */
class EndpointProbeCommandTest {
  @TempDir Path tmp;

  /** A server answering GET /v1/models with {@code ids}, counting the requests. */
  private record Models(HttpServer server, AtomicInteger asked) implements AutoCloseable {
    static Models serving(String... ids) throws IOException {
      HttpServer s =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      AtomicInteger asked = new AtomicInteger();
      StringBuilder body = new StringBuilder("{\"object\":\"list\",\"data\":[");
      for (int i = 0; i < ids.length; i++) {
        body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(ids[i]).append("\"}");
      }
      byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
      s.createContext(
          "/v1/models",
          ex -> {
            asked.incrementAndGet();
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(bytes);
            }
          });
      s.start();
      return new Models(s, asked);
    }

    String endpoint() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private Path config(String endpoint) throws IOException {
    Files.writeString(
        tmp.resolve("gen.json"),
        "{\"name\": \"g\", \"model\": \"org/served\", \"params_b\": 4,"
            + " \"cost\": {\"gpu_type\": \"H100\", \"gpu_count\": 1, \"usd_per_gpu_hour\": 3}}\n");
    Path file = tmp.resolve("exp.yaml");
    Files.writeString(
        file,
        "name: x\n"
            + "datasets: [synthetic:100]\n"
            + "sources:\n"
            + "  - type: bm25\n"
            + "  - type: llm\n"
            + "    generator: gen.json\n"
            + "    endpoint: \""
            + endpoint
            + "\"\n");
    return file;
  }

  private CliTest.Outcome check(Path config, String... more) {
    String[] args = new String[5 + more.length];
    args[0] = "reproduce";
    args[1] = "--config=" + config;
    args[2] = "--work=" + tmp.resolve("work");
    args[3] = "--results=" + tmp.resolve("results");
    args[4] = "--check";
    System.arraycopy(more, 0, args, 5, more.length);
    return CliTest.run(args);
  }

  @Test
  void aStoppedEndpointFailsNamingTheLineAndNoProbeSkipsIt() throws IOException {
    String endpoint;
    try (Models stopped = Models.serving("org/served")) {
      endpoint = stopped.endpoint();
    }
    Path config = config(endpoint);
    CliTest.Outcome o = check(config);
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains(config + ":7"), "the endpoint's line: " + o.err());
    assertTrue(o.err().contains("field 'sources[1].endpoint'"), o.err());
    assertTrue(o.err().contains("cannot connect to " + endpoint + "/models"), o.err());
    assertTrue(o.err().contains("--no-probe"), o.err());
    assertFalse(Files.exists(tmp.resolve("work")), "nothing ran");

    CliTest.Outcome skipped = check(config, "--no-probe");
    assertEquals(0, skipped.code(), skipped.err());
  }

  @Test
  void anEndpointServingAnotherModelFailsAndTheRightOnePasses() throws IOException {
    try (Models other = Models.serving("org/other", "org/third")) {
      CliTest.Outcome o = check(config(other.endpoint()));
      assertEquals(2, o.code(), o.err());
      assertTrue(o.err().contains("serves [org/other, org/third], not 'org/served'"), o.err());
      assertEquals(1, other.asked().get());
    }
    try (Models right = Models.serving("org/other", "org/served")) {
      CliTest.Outcome o = check(config(right.endpoint()));
      assertEquals(0, o.code(), o.err());
      assertEquals(1, right.asked().get());
    }
    try (Simulator sim = Simulator.start(SimProfile.instant())) {
      CliTest.Outcome o = check(config(sim.baseUrl().toString()));
      assertEquals(0, o.code(), "negbench's simulator serves every model: " + o.err());
    }
  }
}
