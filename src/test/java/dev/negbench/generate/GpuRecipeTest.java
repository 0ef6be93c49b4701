package dev.negbench.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The GPU recipe starts: every {@code vllm serve} line of {@code docs/paper-on-gpus.md} names a
 * generator profile of {@code configs/generators/}, in float32 (the paper's dtype), with a
 * tensor-parallel size that divides the model's attention and key-value heads, that equals the
 * profile's {@code cost.gpu_count} and its description, and that is the fewest such GPUs whose
 * memory holds the float32 weights with room left for the KV cache.
 */
class GpuRecipeTest {
  private static final Path DOC = Path.of("docs/paper-on-gpus.md");
  private static final Path PROFILES = Path.of("configs/generators");

  /**
   * {@code num_attention_heads} and {@code num_key_value_heads} of each model's {@code config.json}
   * on the Hugging Face Hub, transcribed (this machine cannot fetch them).
   */
  static final Map<String, int[]> HEADS =
      Map.of(
          "Qwen/Qwen3-4B", new int[] {32, 8},
          "Qwen/Qwen3-8B", new int[] {32, 8},
          "Qwen/Qwen3-14B", new int[] {40, 8},
          "Qwen/Qwen3-30B-A3B", new int[] {32, 4},
          "meta-llama/Meta-Llama-3-8B-Instruct", new int[] {32, 8},
          "microsoft/phi-4", new int[] {40, 10});

  /** An H100's memory, in GB. */
  static final double GPU_GB = 80;

  /** The most of vLLM's share of the GPUs that the weights may take; the rest is KV cache. */
  static final double WEIGHTS_SHARE = 0.55;

  private static final Pattern SERVE =
      Pattern.compile(
          "vllm serve (\\S+) .*--dtype (\\S+) .*--tensor-parallel-size (\\d+)"
              + " .*--gpu-memory-utilization ([0-9.]+)");

  /** One {@code vllm serve} line: model, dtype, tensor-parallel size, memory utilisation. */
  record Serve(String model, String dtype, int tensorParallel, double utilization) {}

  static List<Serve> serveLines(String text) {
    List<Serve> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.contains("vllm serve ")) {
        continue;
      }
      Matcher m = SERVE.matcher(line);
      assertTrue(
          m.find(), "a vllm serve line without --dtype, --tensor-parallel-size or ...: " + line);
      out.add(
          new Serve(
              m.group(1),
              m.group(2),
              Integer.parseInt(m.group(3)),
              Double.parseDouble(m.group(4))));
    }
    return out;
  }

  /** What is wrong with one server's line for a model of {@code paramsB} billion parameters. */
  static List<String> problems(Serve s, double paramsB) {
    List<String> out = new ArrayList<>();
    int[] heads = HEADS.get(s.model());
    if (heads == null) {
      out.add(s.model() + ": no head counts in the table");
      return out;
    }
    if (!s.dtype().equals("float32")) {
      out.add(s.model() + ": dtype " + s.dtype() + ", the paper's is float32");
    }
    int tp = s.tensorParallel();
    if (heads[0] % tp != 0 || heads[1] % tp != 0) {
      out.add(
          s.model()
              + ": tensor parallel "
              + tp
              + " divides neither or not both of "
              + heads[0]
              + " attention and "
              + heads[1]
              + " key-value heads");
    }
    double weightsGb = paramsB * 4;
    if (weightsGb > fits(tp, s.utilization())) {
      out.add(s.model() + ": " + weightsGb + " GB of float32 weights leave too little KV cache");
    }
    for (int d = 1; d < tp; d++) {
      if (heads[0] % d == 0 && heads[1] % d == 0 && weightsGb <= fits(d, s.utilization())) {
        out.add(s.model() + ": " + d + " GPUs would do; tensor parallel " + tp + " wastes GPUs");
        break;
      }
    }
    return out;
  }

  private static double fits(int gpus, double utilization) {
    return WEIGHTS_SHARE * utilization * GPU_GB * gpus;
  }

  @Test
  void everyServeLineStartsAndAgreesWithItsProfile() throws IOException {
    Map<String, JsonNode> profiles = new TreeMap<>();
    try (Stream<Path> s = Files.list(PROFILES)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode n = Json.MAPPER.readTree(p.toFile());
        profiles.put(n.path("model").asText(), n);
      }
    }
    List<Serve> lines = serveLines(Files.readString(DOC));
    assertEquals(
        profiles.keySet(),
        new TreeSet<>(lines.stream().map(Serve::model).toList()),
        "one vllm serve line per generator profile");
    List<String> found = new ArrayList<>();
    for (Serve s : lines) {
      JsonNode profile = profiles.get(s.model());
      found.addAll(problems(s, profile.path("params_b").asDouble()));
      int gpus = profile.path("cost").path("gpu_count").asInt();
      if (gpus != s.tensorParallel()) {
        found.add(s.model() + ": profile gpu_count " + gpus + ", command " + s.tensorParallel());
      }
      String description = profile.path("description").asText();
      if (!description.contains("float32")
          || !description.contains("tensor parallel " + s.tensorParallel() + " ")
          || description.contains("bf16")
          || description.contains("bfloat16")) {
        found.add(s.model() + ": description disagrees with the command: " + description);
      }
    }
    assertEquals(List.of(), found);
  }

  /** The checks can fail: the old line for Qwen3-30B-A3B, and others planted. */
  @Test
  void badRecipesAreFound() {
    assertFalse(problems(new Serve("Qwen/Qwen3-30B-A3B", "float32", 6, 0.80), 30.5).isEmpty());
    assertFalse(problems(new Serve("Qwen/Qwen3-30B-A3B", "float32", 2, 0.80), 30.5).isEmpty());
    assertFalse(problems(new Serve("Qwen/Qwen3-30B-A3B", "bfloat16", 4, 0.80), 30.5).isEmpty());
    assertFalse(problems(new Serve("Qwen/Qwen3-4B", "float32", 2, 0.80), 4.0).isEmpty());
    assertFalse(problems(new Serve("Qwen/Qwen3-14B", "float32", 1, 0.80), 14.8).isEmpty());
    assertFalse(problems(new Serve("microsoft/phi-4", "float32", 4, 0.80), 14.7).isEmpty());
    assertEquals(List.of(), problems(new Serve("Qwen/Qwen3-30B-A3B", "float32", 4, 0.80), 30.5));
    assertEquals(
        List.of(new Serve("Qwen/Qwen3-8B", "float32", 1, 0.8)),
        serveLines(
            "x\n   vllm serve Qwen/Qwen3-8B --port 1 --dtype float32 --tensor-parallel-size 1"
                + " --gpu-memory-utilization 0.8\n"));
  }
}
