package dev.negbench.cli;

import dev.negbench.data.BeirDataset;
import dev.negbench.data.HoldOut;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "hold-out",
    mixinStandardHelpOptions = true,
    description = {
      "Carve a development split out of a training split, to choose a recipe or a weight on queries no training saw.",
      "",
      "Draws --queries of --split's queries (their ids sorted, shuffled with --seed, the first ones) and writes --out, a BEIR folder of its own: links to the dataset's corpus.jsonl, queries.jsonl and other qrels files, qrels/SPLIT-minus-dev.tsv (the rows of the other queries) and qrels/dev.tsv (the held-out queries' rows), each row copied whole, and hold-out.json (the dataset, split, seed and held-out ids). Mine and train on --dataset OUT --split SPLIT-minus-dev; search, rerank and evaluate on --split dev. train-ce refuses a negatives row of a query outside its split, and its training.json on the carve lists the held-out ids. Running the same carve again leaves --out as it is; another carve into it, or a dataset with a dev split already, exits 2.",
      "",
      "Example: negbench hold-out --dataset beir:scifact --split train --queries 100 --seed 1 --out work/scifact-dev"
    })
final class HoldOutCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin DatasetOptions data;

  @Option(
      names = "--split",
      paramLabel = "SPLIT",
      description = "Qrels split to carve (default ${DEFAULT-VALUE}).")
  String split = "train";

  @Option(
      names = "--queries",
      required = true,
      paramLabel = "N",
      description = "Queries to hold out: at least 1, fewer than the split has.")
  int queries;

  // The seed of issue 31's SciFact dev split; any other draws another split.
  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the draw (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder to write the carved dataset into (must not exist).")
  Path out;

  @Override
  public Integer call() {
    BeirDataset ds = BeirDataset.open(DatasetOptions.locate(data.dataset));
    HoldOut.Manifest m = HoldOut.carve(ds, split, queries, seed, out);
    common.info(
        "wrote "
            + out
            + ": "
            + m.devQueries().size()
            + " queries of "
            + split
            + " in split "
            + m.devSplit()
            + ", "
            + m.trainQueries()
            + " in split "
            + m.trainSplit()
            + " (seed "
            + seed
            + ")");
    return 0;
  }
}
