package dev.negbench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.model.DjlModel;
import dev.negbench.model.SafeTensors;
import dev.negbench.model.TransformerBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code checkpoint/} folder of {@code outDir}: written every {@code every} steps for the run
 * of {@code identity}, models saved at {@code maxSeqLength}. It holds the model, the optimizer's
 * moments ({@code optimizer.safetensors}) and {@code state.json} (steps done, losses, seconds and
 * the run's identity), replaced as a whole.
 */
record Checkpoints(Path outDir, ObjectNode identity, int every, int maxSeqLength) {
  private static final String CHECKPOINT = "checkpoint";
  // Inside checkpoint/: the run's position and the optimizer's moments by parameter name.
  private static final String STATE = "state.json";
  private static final String OPTIMIZER = "optimizer.safetensors";
  private static final String FIRST_MOMENT = "exp_avg.";
  private static final String SECOND_MOMENT = "exp_avg_sq.";

  /**
   * Where a run starts: from scratch (no checkpoint), or from the checkpoint folder it was read
   * from, with the seconds the run had taken when it was written.
   */
  record Resume(Path checkpoint, TrainingPosition position, double seconds) {
    static final Resume NONE = new Resume(null, TrainingPosition.START, 0);

    /** The model to open: the checkpoint's, else {@code model}. */
    String modelOr(String model) {
      return checkpoint == null ? model : checkpoint.toString();
    }

    /** Puts the checkpoint's Adam moments and step count back into {@code adam}. */
    void restore(TransformerBlock block, AdamW adam) {
      Map<String, SafeTensors.Tensor> moments = SafeTensors.read(checkpoint.resolve(OPTIMIZER));
      Map<String, float[]> first = new LinkedHashMap<>();
      Map<String, float[]> second = new LinkedHashMap<>();
      for (String name : block.parametersByName().keySet()) {
        first.put(name, moments.get(FIRST_MOMENT + name).data());
        second.put(name, moments.get(SECOND_MOMENT + name).data());
      }
      adam.restore(first, second, position.step());
    }
  }

  Path dir() {
    return outDir.resolve(CHECKPOINT);
  }

  /** The previous checkpoint, kept while a new one is swapped in. */
  Path old() {
    return outDir.resolve("." + CHECKPOINT + "-old");
  }

  /** The checkpoint to resume from, if any; throws when it belongs to a run of other inputs. */
  Resume resume() {
    Path checkpoint = dir();
    if (!Files.isRegularFile(checkpoint.resolve(STATE))
        && Files.isRegularFile(old().resolve(STATE))) {
      checkpoint = old(); // a crash between the two renames of a checkpoint swap
    }
    JsonNode state = TrainingJson.read(checkpoint.resolve(STATE));
    if (state == null) {
      return Resume.NONE;
    }
    if (!identity.equals(state.get("inputs"))) {
      throw new IllegalArgumentException(
          outDir
              + " holds a partial run with other inputs or settings ("
              + state.get("inputs")
              + "); expected "
              + identity
              + ". Use another --out, or delete "
              + checkpoint
              + " to start over");
    }
    return new Resume(
        checkpoint,
        new TrainingPosition(
            state.path("step").asLong(),
            state.path("first_loss").asDouble(),
            state.path("last_loss").asDouble()),
        state.path("seconds").asDouble(0));
  }

  /**
   * Writes {@code checkpoint/} whole: into a temporary folder first, then swapped in by renames.
   */
  void save(DjlModel m, AdamW adam, TrainingPosition at, double seconds) {
    Path tmp = outDir.resolve("." + CHECKPOINT + "-tmp");
    Path target = dir();
    try {
      AtomicFiles.deleteTree(tmp);
      m.save(tmp, maxSeqLength);
      Map<String, SafeTensors.Tensor> moments = new LinkedHashMap<>();
      adam.firstMoments()
          .forEach((k, v) -> moments.put(FIRST_MOMENT + k, TransformerBlock.host(v)));
      adam.secondMoments()
          .forEach((k, v) -> moments.put(SECOND_MOMENT + k, TransformerBlock.host(v)));
      SafeTensors.write(tmp.resolve(OPTIMIZER), moments, Map.of("step", Long.toString(at.step())));
      ObjectNode state = Json.PLAIN.createObjectNode();
      state.set("inputs", identity);
      state.put("step", at.step());
      state.put("first_loss", at.firstLoss());
      state.put("last_loss", at.lastLoss());
      state.put("seconds", seconds);
      TrainingJson.write(tmp.resolve(STATE), state);
      AtomicFiles.deleteTree(old());
      if (Files.exists(target)) {
        AtomicFiles.move(target, old());
      }
      AtomicFiles.move(tmp, target);
      AtomicFiles.deleteTree(old());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint " + target, e);
    }
  }

  /** For the error of a diverged run: where its last checkpoint stays, if it wrote one. */
  String whatIsLeft() {
    return Files.isDirectory(dir())
        ? "the last checkpoint stays in " + dir()
        : "no checkpoint was written";
  }

  /** Removes the checkpoint of a finished run. */
  void remove() {
    try {
      AtomicFiles.deleteTree(dir());
      AtomicFiles.deleteTree(old());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the partial checkpoint in " + outDir, e);
    }
  }
}
