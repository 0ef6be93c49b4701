package dev.negbench.cli;

import dev.negbench.download.BeirDownloads;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "beir",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch BEIR datasets into the data home ($NEGBENCH_DATA, default data/), where a config names them beir:NAME.",
      "",
      "For each NAME: NAME.zip is fetched from BEIR's public location (or --mirror) into DATA/NAME.zip.part, resuming an interrupted download with an HTTP Range request; its MD5 is checked against negbench's catalogue of BEIR's datasets (the MD5s BEIR's README publishes) before it is opened; it is unpacked into a temporary folder (an entry that would land outside it is refused), read whole with negbench's BEIR reader and counted against the catalogue (documents, queries, qrels per split), given a manifest (negbench-dataset.json) and moved to DATA/NAME in one rename. A dataset already there with a matching manifest is not fetched again.",
      "",
      "Exit 2: an unknown name, an MD5 or count that differs, a refused zip entry (nothing is left behind). Exit 1: the host cannot be reached, the connection broke (DATA/NAME.zip.part is kept: rerun to resume), or the disk is full.",
      "",
      "Example: negbench download beir scifact nfcorpus"
    })
final class DownloadBeirCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin DownloadOptions where;

  @Parameters(
      arity = "1..*",
      paramLabel = "NAME",
      description =
          "BEIR names: msmarco, trec-covid, nfcorpus, nq, hotpotqa, fiqa, arguana, webis-touche2020, cqadupstack, quora, dbpedia-entity, scidocs, fever, climate-fever, scifact.")
  List<String> names;

  @Override
  public Integer call() {
    BeirDownloads downloads = where.downloads(common);
    for (String name : names) {
      downloads.downloadable(name); // every name known before the first byte is fetched
    }
    for (String name : names) {
      downloads.fetch(name);
    }
    return 0;
  }
}
