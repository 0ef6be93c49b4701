package dev.negbench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.BeirDataset;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import dev.negbench.model.Djl;
import dev.negbench.model.DjlModel;
import dev.negbench.model.SafeTensors;
import dev.negbench.model.TransformerBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fine-tunes a bi-encoder with MultipleNegativesRankingLoss, or a cross-encoder ({@link
 * CrossEncoderObjective}), on (query, positive, hard negatives) examples, as sentence-transformers'
 * {@code fit} does: AdamW, linear warmup then linear decay to 0 (transformers' {@code
 * get_linear_schedule_with_warmup}), gradient norm clipping, seeded duplicate-free batches. One
 * optimizer step per batch.
 *
 * <p>The output folder ends as a Hugging Face checkpoint ({@link DjlModel#save}) with {@code
 * training.json} written last. On the way, {@code checkpoint/} holds the model, the optimizer's
 * moments and {@code state.json} (steps done, losses, settings and inputs), replaced as a whole
 * every {@code checkpointEvery} steps; a run started again with the same inputs and settings
 * resumes from it and, since the data order is a function of the seed, continues with the very
 * batch that came next.
 */
public final class Trainer {
  /** Steps between checkpoints of a partial run. */
  public static final int DEFAULT_CHECKPOINT_EVERY = 100;

  private static final String CHECKPOINT = "checkpoint";
  private static final String DONE = "training.json";
  // Inside checkpoint/: the run's position and the optimizer's moments by parameter name.
  private static final String STATE = "state.json";
  private static final String OPTIMIZER = "optimizer.safetensors";
  private static final String FIRST_MOMENT = "exp_avg.";
  private static final String SECOND_MOMENT = "exp_avg_sq.";

  /** Hears about every step: for loss and speed lines in the CLI. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = (step, total, loss, lr, stepsPerSecond) -> {};

    void step(long step, long total, double loss, double learningRate, double stepsPerSecond);
  }

  private Trainer() {}

  /**
   * Fine-tunes `model` ("minilm" or an HF folder) on the negatives file (miners'/generator's JSONL;
   * inline-text negatives used as is, corpus ids looked up in dataset) for queries of `split`;
   * writes an HF checkpoint folder to outDir atomically; resumes from a partial run in outDir.
   */
  public static TrainingReport train(
      BeirDataset dataset,
      String split,
      Path negativesFile,
      String model,
      TrainingSettings settings,
      Path outDir,
      Progress.Factory progress) {
    return train(
        dataset,
        split,
        negativesFile,
        model,
        settings,
        outDir,
        progress,
        DEFAULT_CHECKPOINT_EVERY,
        Listener.NONE);
  }

  /**
   * As above, with a checkpoint every {@code checkpointEvery} steps and {@code listener} told of
   * every step.
   */
  public static TrainingReport train(
      BeirDataset dataset,
      String split,
      Path negativesFile,
      String model,
      TrainingSettings settings,
      Path outDir,
      Progress.Factory progress,
      int checkpointEvery,
      Listener listener) {
    return train(
        dataset,
        split,
        negativesFile,
        model,
        settings,
        Objective.MNRL,
        outDir,
        progress,
        checkpointEvery,
        listener);
  }

  /**
   * As above for any {@link Objective}: a bi-encoder ({@link Objective#MNRL}) or a cross-encoder
   * ({@link CrossEncoderObjective}), with the same batches, schedule, checkpoints and resume.
   */
  public static TrainingReport train(
      BeirDataset dataset,
      String split,
      Path negativesFile,
      String model,
      TrainingSettings settings,
      Objective objective,
      Path outDir,
      Progress.Factory progress,
      int checkpointEvery,
      Listener listener) {
    settings.validate();
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException(
          "checkpoint interval must be at least 1 step, was " + checkpointEvery);
    }
    long started = System.nanoTime();
    ObjectNode identity = identity(dataset, split, negativesFile, model, settings, objective);
    TrainingReport finished = finishedRun(outDir, identity);
    if (finished != null) {
      return finished;
    }
    TrainingData.Loaded data =
        TrainingData.load(
            dataset,
            split,
            negativesFile,
            settings.negativesPerQuery(),
            objective.requiresPositives());
    BatchPlan plan = BatchPlan.of(data.examples(), settings);
    Schedule schedule = Schedule.of(settings, plan.steps());
    Checkpoints checkpoints =
        new Checkpoints(outDir, identity, checkpointEvery, settings.maxDocLength());
    Resume resume = checkpoints.resume();
    try (DjlModel m =
            objective.open(resume.modelOr(model), Djl.device(settings.device()), settings);
        Objective.Step trainer = objective.start(m, settings);
        Progress bar = progress.start("Training", plan.steps())) {
      if (resume.checkpoint() != null) {
        resume.restore(m.block(), trainer.optimizer());
        bar.advance(resume.position().step());
      }
      Position end =
          runSteps(m, trainer, plan, schedule, resume, started, checkpoints, bar, listener);
      m.save(outDir, settings.maxDocLength());
      double seconds = (System.nanoTime() - started) / 1e9;
      TrainingReport report =
          new TrainingReport(
              plan.steps(), plan.triples(), end.firstLoss(), end.lastLoss(), seconds, outDir);
      writeDone(report, resume.seconds() + seconds, identity, data, settings.device());
      checkpoints.remove();
      return report;
    }
  }

  /**
   * What a run is of: a checkpoint or a finished run counts only for the same inputs and settings.
   */
  private static ObjectNode identity(
      BeirDataset dataset,
      String split,
      Path negativesFile,
      String model,
      TrainingSettings settings,
      Objective objective) {
    ObjectNode identity = Json.PLAIN.createObjectNode();
    if (!objective.describe().isEmpty()) {
      identity.put("objective", objective.describe());
    }
    identity.put("model", model);
    identity.put("dataset", dataset.dir().toAbsolutePath().normalize().toString());
    identity.put("split", split);
    identity.put("negatives_sha256", AtomicFiles.sha256(negativesFile));
    identity.put("settings", settings.describe());
    return identity;
  }

  /**
   * The finished run in {@code outDir}, as its {@code training.json} records it, with the seconds
   * the whole run took (for a run written before that field, its last process's); null when there
   * is none.
   */
  public static TrainingReport recorded(Path outDir) {
    JsonNode done = readJson(outDir.resolve(DONE));
    if (done == null) {
      return null;
    }
    JsonNode seconds =
        done.has("seconds") ? done.get("seconds") : done.path("seconds_this_process");
    return report(done, seconds.asDouble(Double.NaN), outDir);
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

  /**
   * The report of a run of the same inputs already finished in {@code outDir} (0 seconds), or null.
   */
  private static TrainingReport finishedRun(Path outDir, ObjectNode identity) {
    JsonNode done = readJson(outDir.resolve(DONE));
    if (done != null
        && identity.equals(done.get("inputs"))
        && Files.isRegularFile(outDir.resolve(DjlModel.WEIGHTS))) {
      return report(done, 0, outDir);
    }
    return null;
  }

  /**
   * Runs the steps from {@code resume}'s position to the end of the plan, checkpointing on the way;
   * each checkpoint records the run's seconds so far (this process's since {@code started}, plus
   * what the checkpoint it resumed from had recorded).
   */
  private static Position runSteps(
      DjlModel m,
      Objective.Step trainer,
      BatchPlan plan,
      Schedule schedule,
      Resume resume,
      long started,
      Checkpoints checkpoints,
      Progress bar,
      Listener listener) {
    Position from = resume.position();
    long total = plan.steps();
    Position at = from;
    long loopStart = System.nanoTime();
    for (long step = from.step(); step < total; step++) {
      double lr = schedule.learningRate(step);
      double loss = trainer.step(plan.batch(step), lr);
      if (!Double.isFinite(loss)) {
        throw new TrainingDivergedException(
            String.format(
                Locale.ROOT,
                "the loss became %s at step %d of %d; %s. Lower --lr or check the negatives file",
                loss,
                step + 1,
                total,
                checkpoints.whatIsLeft()));
      }
      at = at.after(loss);
      bar.advance(1);
      listener.step(
          step + 1,
          total,
          loss,
          lr,
          (step + 1 - from.step()) / ((System.nanoTime() - loopStart) / 1e9));
      if ((step + 1) % checkpoints.every() == 0 && step + 1 < total) {
        checkpoints.save(
            m, trainer.optimizer(), at, resume.seconds() + (System.nanoTime() - started) / 1e9);
      }
    }
    return at;
  }

  /**
   * Writes {@code training.json}, which marks the output folder as a finished run of {@code
   * identity}; {@code seconds} is the whole run's (every process up to its last checkpoint, and
   * this one).
   */
  private static void writeDone(
      TrainingReport r,
      double seconds,
      ObjectNode identity,
      TrainingData.Loaded data,
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
    writeJson(r.checkpoint().resolve(DONE), report);
  }

  /** Every epoch's seeded batches (indices into {@code examples}), one optimizer step each. */
  private record BatchPlan(List<TrainingExample> examples, List<int[]> batches) {
    static BatchPlan of(List<TrainingExample> examples, TrainingSettings settings) {
      List<int[]> batches = new ArrayList<>();
      for (int e = 0; e < settings.epochs(); e++) {
        batches.addAll(
            TrainingData.epochBatches(examples, settings.batchSize(), settings.seed(), e));
      }
      return new BatchPlan(examples, batches);
    }

    long steps() {
      return batches.size();
    }

    /** Examples over all steps. */
    long triples() {
      long triples = 0;
      for (int[] batch : batches) {
        triples += batch.length;
      }
      return triples;
    }

    List<TrainingExample> batch(long step) {
      int[] batch = batches.get((int) step);
      List<TrainingExample> items = new ArrayList<>(batch.length);
      for (int i : batch) {
        items.add(examples.get(i));
      }
      return items;
    }
  }

  /** Linear warmup from 0 to the peak learning rate, then linear decay to 0 at the last step. */
  private record Schedule(double peak, long total, long warmup) {
    static Schedule of(TrainingSettings settings, long total) {
      return new Schedule(
          settings.learningRate(), total, (long) Math.ceil(total * settings.warmupRatio()));
    }

    double learningRate(long step) {
      double factor =
          step < warmup
              ? (double) step / Math.max(1, warmup)
              : Math.max(0, (double) (total - step) / Math.max(1, total - warmup));
      return peak * factor;
    }
  }

  /**
   * How far a run has got: steps done and the loss of the first and the last of them (NaN before
   * the first).
   */
  private record Position(long step, double firstLoss, double lastLoss) {
    static final Position START = new Position(0, Double.NaN, Double.NaN);

    Position after(double loss) {
      return new Position(step + 1, Double.isNaN(firstLoss) ? loss : firstLoss, loss);
    }
  }

  /**
   * Where a run starts: from scratch (no checkpoint), or from the checkpoint folder it was read
   * from, with the seconds the run had taken when it was written.
   */
  private record Resume(Path checkpoint, Position position, double seconds) {
    static final Resume NONE = new Resume(null, Position.START, 0);

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

  /**
   * The {@code checkpoint/} folder of {@code outDir}: written every {@code every} steps for the run
   * of {@code identity}, models saved at {@code maxSeqLength}.
   */
  private record Checkpoints(Path outDir, ObjectNode identity, int every, int maxSeqLength) {
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
      JsonNode state = readJson(checkpoint.resolve(STATE));
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
          new Position(
              state.path("step").asLong(),
              state.path("first_loss").asDouble(),
              state.path("last_loss").asDouble()),
          state.path("seconds").asDouble(0));
    }

    /**
     * Writes {@code checkpoint/} whole: into a temporary folder first, then swapped in by renames.
     */
    void save(DjlModel m, AdamW adam, Position at, double seconds) {
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
        SafeTensors.write(
            tmp.resolve(OPTIMIZER), moments, Map.of("step", Long.toString(at.step())));
        ObjectNode state = Json.PLAIN.createObjectNode();
        state.set("inputs", identity);
        state.put("step", at.step());
        state.put("first_loss", at.firstLoss());
        state.put("last_loss", at.lastLoss());
        state.put("seconds", seconds);
        writeJson(tmp.resolve(STATE), state);
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

  private static JsonNode readJson(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return Json.PLAIN.readTree(file.toFile());
    } catch (IOException e) {
      return null; // unreadable: treated as absent, the run starts over
    }
  }

  private static void writeJson(Path file, ObjectNode node) {
    try {
      AtomicFiles.writeString(
          file, Json.PLAIN.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
