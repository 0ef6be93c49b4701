package dev.negbench.experiment;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.negbench.experiment.sources.LlmSource;
import dev.negbench.experiment.sources.Source;
import dev.negbench.generate.ChatClient;
import dev.negbench.generate.GeneratorProfile;
import dev.negbench.generate.Simulator;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Asks every endpoint of a config's {@code llm} sources for its models ({@code GET /v1/models}, as
 * vLLM, Ollama, llama.cpp's server and TGI answer it) before any work: a server that is down, or
 * that serves another model than the generator profile's {@code model}, fails the check with exit
 * 2, naming the config file, the endpoint's line and what to do, instead of failing hours later.
 * {@code reproduce --no-probe} skips it, for a config checked before its servers are up. negbench's
 * own simulator ({@code serve-sim}) answers for every model and passes.
 */
public final class EndpointProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private EndpointProbe() {}

  /**
   * Probes the endpoints of the sources named in {@code running} (all, when null) of {@code
   * loaded}; returns how many were asked.
   *
   * @throws DatasetFormatException naming the config line of the first endpoint that fails
   */
  public static int check(ExperimentConfig.Loaded loaded, Collection<String> running) {
    List<Source> sources = loaded.config().sources();
    Path dir = loaded.file().toAbsolutePath().getParent();
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    ConfigLines lines = null;
    int asked = 0;
    for (int i = 0; i < sources.size(); i++) {
      if (!(sources.get(i) instanceof LlmSource llm)
          || (running != null && !running.contains(llm.name()))) {
        continue;
      }
      List<String> urls = llm.replicas();
      String model = urls.isEmpty() ? null : GeneratorProfile.resolve(llm.profilePath(dir)).model();
      for (int j = 0; j < urls.size(); j++) {
        String problem = problem(http, URI.create(urls.get(j)), model);
        asked++;
        if (problem != null) {
          if (lines == null) {
            lines = lines(loaded.file());
          }
          String field = llm.endpoints() != null ? "endpoints[" + j + "]" : "endpoint";
          String pointer = llm.endpoints() != null ? "endpoints/" + j : "endpoint";
          throw new DatasetFormatException(
              loaded.file(),
              lines.of("/sources/" + i + "/" + pointer),
              "field 'sources["
                  + i
                  + "]."
                  + field
                  + "' ("
                  + llm.name()
                  + "): "
                  + problem
                  + "; start the server, or run with --no-probe to check the config without it");
        }
      }
    }
    return asked;
  }

  /** What is wrong with {@code endpoint} for {@code model}, or null when it serves it. */
  static String problem(HttpClient http, URI endpoint, String model) {
    URI models = ChatClient.modelsUri(endpoint);
    HttpResponse<String> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(models).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      return "no answer from " + models + " within " + TIMEOUT.toSeconds() + " s";
    } catch (ConnectException e) {
      return "cannot connect to " + models + " (" + message(e, "connection refused") + ")";
    } catch (IOException e) {
      return "cannot ask " + models + " (" + message(e, e.getClass().getSimpleName()) + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while asking " + models;
    }
    if (r.statusCode() != 200) {
      return models + " answered HTTP " + r.statusCode() + ", not a list of models";
    }
    List<String> ids = new ArrayList<>();
    try {
      JsonNode data = Json.PLAIN.readTree(r.body()).path("data");
      for (JsonNode m : data) {
        ids.add(m.path("id").asText());
      }
    } catch (IOException e) {
      return models + " answered something other than JSON";
    }
    // negbench serve-sim answers every model, naming it sim:MODEL; it lists itself as sim:PROFILE.
    if (ids.contains(model) || ids.stream().anyMatch(id -> id.startsWith(Simulator.MODEL_PREFIX))) {
      return null;
    }
    return models
        + " serves "
        + (ids.isEmpty() ? "no model" : ids)
        + ", not '"
        + model
        + "' (the generator profile's model)";
  }

  private static String message(Exception e, String otherwise) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? otherwise : m;
  }

  private static ConfigLines lines(Path file) {
    try {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      JsonFactory factory = name.endsWith(".json") ? new JsonFactory() : new YAMLFactory();
      return ConfigLines.of(factory, Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new ConfigLines(Map.of());
    }
  }
}
