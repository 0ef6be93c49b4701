package dev.negbench.cli;

import dev.negbench.download.BeirCatalogue;
import dev.negbench.download.BeirDownloads;
import dev.negbench.download.DataHome;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where {@code download} fetches from and writes to, shared by its subcommands. */
final class DownloadOptions {
  @Option(
      names = "--mirror",
      paramLabel = "URL",
      description =
          "Base URL of the BEIR zips instead of BEIR's public one (also $NEGBENCH_BEIR_MIRROR); NAME.zip is fetched from URL/NAME.zip. Default: https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets/")
  String mirror;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "The data home to fill (default: $NEGBENCH_DATA, else data/ in the working folder); a config's beir:NAME is looked for there.")
  Path data;

  // For tests and private mirrors of other zips: the committed catalogue is what BEIR publishes.
  @Option(
      names = "--catalogue",
      paramLabel = "FILE",
      hidden = true,
      description = "A catalogue in the format of the built-in beir-datasets.tsv instead of it.")
  Path catalogue;

  DataHome home() {
    return data != null ? new DataHome(data) : DataHome.fromEnvironment();
  }

  BeirCatalogue catalogue() {
    return catalogue != null ? BeirCatalogue.read(catalogue) : BeirCatalogue.standard();
  }

  BeirDownloads downloads(CommonOptions common) {
    return new BeirDownloads(
        home(), catalogue(), BeirDownloads.base(mirror), common.progress(), common::info);
  }
}
