package dev.negbench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;
import dev.negbench.model.DjlModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code training.json} that marks an output folder as a finished run: what it was a run of
 * (its identity: inputs and settings), steps, triples, first and last loss, examples, seconds and
 * device. Written last, so a folder that has it holds the whole checkpoint.
 */
final class FinishedTraining {
  static final String FILE = "training.json";

  private FinishedTraining() {}

  /**
   * The finished run in {@code outDir}, as its {@code training.json} records it, with the seconds
   * the whole run took (for a run written before that field, its last process's); null when there
   * is none.
   */
  static TrainingReport recorded(Path outDir) {
    JsonNode done = TrainingJson.read(outDir.resolve(FILE));
    if (done == null) {
      return null;
    }
    JsonNode seconds =
        done.has("seconds") ? done.get("seconds") : done.path("seconds_this_process");
    return report(done, seconds.asDouble(Double.NaN), outDir);
  }

  /**
   * The report of a run of {@code identity} already finished in {@code outDir} (0 seconds), or
   * null.
   */
  static TrainingReport of(Path outDir, ObjectNode identity) {
    JsonNode done = TrainingJson.read(outDir.resolve(FILE));
    if (done != null
        && identity.equals(done.get("inputs"))
        && Files.isRegularFile(outDir.resolve(DjlModel.WEIGHTS))) {
      return report(done, 0, outDir);
    }
    return null;
  }

  /**
   * Writes {@code training.json} into {@code r}'s checkpoint folder, which marks it as a finished
   * run of {@code identity}; {@code seconds} is the whole run's (every process up to its last
   * checkpoint, and this one). {@code heldOut}: the queries carved out of the training split
   * ({@code negbench hold-out}), listed so that an evaluation on them can be checked not to overlap
   * the training; null when the split is not a carve's.
   */
  static void write(
      TrainingReport r,
      double seconds,
      ObjectNode identity,
      TrainingData.Loaded data,
      List<String> heldOut,
      String device) {
    ObjectNode report = Json.PLAIN.createObjectNode();
    report.set("inputs", identity);
    report.put("steps", r.steps());
    report.put("triples", r.triples());
    report.put("first_loss", r.firstLoss());
    report.put("last_loss", r.lastLoss());
    report.put("examples", data.examples().size());
    report.put("rows_outside_split", data.rowsOutsideSplit());
    report.put("seconds_this_process", r.seconds());
    report.put("seconds", seconds);
    report.put("device", device);
    if (heldOut != null) {
      heldOut.forEach(report.putArray("held_out_queries")::add);
    }
    TrainingJson.write(r.checkpoint().resolve(FILE), report);
  }

  /** A finished run's report from its {@code training.json}, with {@code seconds}. */
  private static TrainingReport report(JsonNode done, double seconds, Path outDir) {
    return new TrainingReport(
        done.path("steps").asLong(),
        done.path("triples").asLong(),
        done.path("first_loss").asDouble(),
        done.path("last_loss").asDouble(),
        seconds,
        outDir);
  }
}
