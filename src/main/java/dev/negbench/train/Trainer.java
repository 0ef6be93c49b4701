package dev.negbench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.data.BeirDataset;
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
 * Fine-tunes a bi-encoder with MultipleNegativesRankingLoss on (query, positive, hard negatives)
 * examples, as sentence-transformers' {@code fit} does: AdamW, linear warmup then linear decay to
 * 0 (transformers' {@code get_linear_schedule_with_warmup}), gradient norm clipping, seeded
 * duplicate-free batches. One optimizer step per batch.
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

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHECKPOINT = "checkpoint";
  private static final String DONE = "training.json";

  /** Hears about every step: for loss and speed lines in the CLI. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = (step, total, loss, lr, stepsPerSecond) -> {};

    void step(long step, long total, double loss, double learningRate, double stepsPerSecond);
  }

  private Trainer() {}

  /** Fine-tunes `model` ("minilm" or an HF folder) on the negatives file (miners'/generator's JSONL; inline-text negatives used as is, corpus ids looked up in dataset) for queries of `split`; writes an HF checkpoint folder to outDir atomically; resumes from a partial run in outDir. */
  public static TrainingReport train(
      BeirDataset dataset, String split, Path negativesFile, String model, TrainingSettings settings, Path outDir, Progress.Factory progress) {
    return train(dataset, split, negativesFile, model, settings, outDir, progress, DEFAULT_CHECKPOINT_EVERY, Listener.NONE);
  }

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
    settings.validate();
    if (checkpointEvery < 1) {
      throw new IllegalArgumentException("checkpoint interval must be at least 1 step, was " + checkpointEvery);
    }
    long started = System.nanoTime();
    ObjectNode identity = JSON.createObjectNode();
    identity.put("model", model);
    identity.put("dataset", dataset.dir().toAbsolutePath().normalize().toString());
    identity.put("split", split);
    identity.put("negatives_sha256", AtomicFiles.sha256(negativesFile));
    identity.put("settings", settings.describe());

    JsonNode done = readJson(outDir.resolve(DONE));
    if (done != null && identity.equals(done.get("inputs")) && Files.isRegularFile(outDir.resolve(DjlModel.WEIGHTS))) {
      return new TrainingReport(
          done.path("steps").asLong(), done.path("triples").asLong(), done.path("first_loss").asDouble(), done.path("last_loss").asDouble(), 0, outDir);
    }

    TrainingData.Loaded data = TrainingData.load(dataset, split, negativesFile, settings.negativesPerQuery());
    List<TrainingExample> examples = data.examples();
    List<int[]> plan = new ArrayList<>();
    for (int e = 0; e < settings.epochs(); e++) {
      plan.addAll(TrainingData.epochBatches(examples, settings.batchSize(), settings.seed(), e));
    }
    long total = plan.size();
    long warmup = (long) Math.ceil(total * settings.warmupRatio());

    Path checkpoint = outDir.resolve(CHECKPOINT);
    Path old = outDir.resolve("." + CHECKPOINT + "-old");
    if (!Files.isRegularFile(checkpoint.resolve("state.json")) && Files.isRegularFile(old.resolve("state.json"))) {
      checkpoint = old; // a crash between the two renames of a checkpoint swap
    }
    JsonNode state = readJson(checkpoint.resolve("state.json"));
    if (state != null && !identity.equals(state.get("inputs"))) {
      throw new IllegalArgumentException(
          outDir + " holds a partial run with other inputs or settings (" + state.get("inputs") + "); expected " + identity
              + ". Use another --out, or delete " + checkpoint + " to start over");
    }
    long doneSteps = state == null ? 0 : state.path("step").asLong();
    double firstLoss = state == null ? Double.NaN : state.path("first_loss").asDouble();
    double lastLoss = state == null ? Double.NaN : state.path("last_loss").asDouble();
    try (DjlModel m = DjlModel.open(state == null ? model : checkpoint.toString(), Djl.device(settings.device()));
        MnrlStep trainer = new MnrlStep(m, settings);
        Progress bar = progress.start("Training", total)) {
      TransformerBlock block = m.block();
      AdamW adam = trainer.optimizer();
      if (state != null) {
        Map<String, SafeTensors.Tensor> moments = SafeTensors.read(checkpoint.resolve("optimizer.safetensors"));
        Map<String, float[]> first = new LinkedHashMap<>();
        Map<String, float[]> second = new LinkedHashMap<>();
        for (String name : block.parametersByName().keySet()) {
          first.put(name, moments.get("exp_avg." + name).data());
          second.put(name, moments.get("exp_avg_sq." + name).data());
        }
        adam.restore(first, second, doneSteps);
        bar.advance(doneSteps);
      }
      long triples = 0;
      for (int s = 0; s < doneSteps; s++) {
        triples += plan.get(s).length;
      }
      long loopStart = System.nanoTime();
      for (long step = doneSteps; step < total; step++) {
        int[] batch = plan.get((int) step);
        List<TrainingExample> items = new ArrayList<>(batch.length);
        for (int i : batch) {
          items.add(examples.get(i));
        }
        double factor = step < warmup ? (double) step / Math.max(1, warmup) : Math.max(0, (double) (total - step) / Math.max(1, total - warmup));
        double lr = settings.learningRate() * factor;
        double loss = trainer.step(items, lr);
        if (!Double.isFinite(loss)) {
          throw new TrainingDivergedException(
              String.format(
                  Locale.ROOT,
                  "the loss became %s at step %d of %d; %s. Lower --lr or check the negatives file",
                  loss, step + 1, total,
                  Files.isDirectory(outDir.resolve(CHECKPOINT)) ? "the last checkpoint stays in " + outDir.resolve(CHECKPOINT) : "no checkpoint was written"));
        }
        triples += batch.length;
        if (Double.isNaN(firstLoss)) {
          firstLoss = loss;
        }
        lastLoss = loss;
        bar.advance(1);
        listener.step(step + 1, total, loss, lr, (step + 1 - doneSteps) / ((System.nanoTime() - loopStart) / 1e9));
        if ((step + 1) % checkpointEvery == 0 && step + 1 < total) {
          saveCheckpoint(m, adam, outDir, identity, step + 1, firstLoss, lastLoss, settings.maxDocLength());
        }
      }
      m.save(outDir, settings.maxDocLength());
      double seconds = (System.nanoTime() - started) / 1e9;
      ObjectNode report = JSON.createObjectNode();
      report.set("inputs", identity);
      report.put("steps", total);
      report.put("triples", triples);
      report.put("first_loss", firstLoss);
      report.put("last_loss", lastLoss);
      report.put("examples", examples.size());
      report.put("rows_outside_split", data.rowsOutsideSplit());
      report.put("seconds_this_process", seconds);
      report.put("device", settings.device());
      writeJson(outDir.resolve(DONE), report);
      try {
        AtomicFiles.deleteTree(outDir.resolve(CHECKPOINT));
        AtomicFiles.deleteTree(old);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the partial checkpoint in " + outDir, e);
      }
      return new TrainingReport(total, triples, firstLoss, lastLoss, seconds, outDir);
    }
  }

  /** Writes {@code checkpoint/} whole: into a temporary folder first, then swapped in by renames. */
  private static void saveCheckpoint(
      DjlModel m, AdamW adam, Path outDir, ObjectNode identity, long step, double firstLoss, double lastLoss, int maxSeqLength) {
    Path tmp = outDir.resolve("." + CHECKPOINT + "-tmp");
    Path target = outDir.resolve(CHECKPOINT);
    Path old = outDir.resolve("." + CHECKPOINT + "-old");
    try {
      AtomicFiles.deleteTree(tmp);
      m.save(tmp, maxSeqLength);
      Map<String, SafeTensors.Tensor> moments = new LinkedHashMap<>();
      adam.firstMoments().forEach((k, v) -> moments.put("exp_avg." + k, TransformerBlock.host(v)));
      adam.secondMoments().forEach((k, v) -> moments.put("exp_avg_sq." + k, TransformerBlock.host(v)));
      SafeTensors.write(tmp.resolve("optimizer.safetensors"), moments, Map.of("step", Long.toString(step)));
      ObjectNode state = JSON.createObjectNode();
      state.set("inputs", identity);
      state.put("step", step);
      state.put("first_loss", firstLoss);
      state.put("last_loss", lastLoss);
      writeJson(tmp.resolve("state.json"), state);
      AtomicFiles.deleteTree(old);
      if (Files.exists(target)) {
        AtomicFiles.move(target, old);
      }
      AtomicFiles.move(tmp, target);
      AtomicFiles.deleteTree(old);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint " + target, e);
    }
  }

  private static JsonNode readJson(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      return null; // unreadable: treated as absent, the run starts over
    }
  }

  private static void writeJson(Path file, ObjectNode node) {
    try {
      AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
