package dev.negbench.cli;

import dev.negbench.download.BeirCatalogue;
import dev.negbench.download.BeirDownloads;
import dev.negbench.download.DataHome;
import dev.negbench.download.DiskSpace;
import dev.negbench.download.HubModelDownloads;
import dev.negbench.download.ModelDownload;
import dev.negbench.download.ModelDownloads;
import dev.negbench.experiment.ExperimentConfig;
import dev.negbench.model.ModelResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    subcommands = {DownloadBeirCommand.class, DownloadModelCommand.class},
    description = {
      "Fetch the data an experiment needs, explicitly: nothing else in negbench downloads.",
      "",
      "  negbench download beir NAME...      BEIR datasets into $NEGBENCH_DATA (default data/), checked by MD5 and counts; see 'negbench download beir --help'",
      "  negbench download model ORG/NAME    a Hugging Face model into the hub cache, in huggingface_hub's layout; see 'negbench download model --help'",
      "  negbench download --config FILE     every beir:NAME dataset and every model the config names",
      "",
      "With --config it lists each dataset (its zip size from negbench's BEIR catalogue, or 'already there') and each model (Hugging Face name; its size when known), checks that the zips and their unpacked folders fit on the disk, then fetches what is missing. --dry-run lists and fetches nothing. Models are fetched as 'download model' fetches them ($HF_ENDPOINT, $HF_TOKEN, $HF_HUB_CACHE or $HF_HOME), into the Hugging Face cache where the config check finds them.",
      "",
      "Example: negbench download --config configs/paper.yaml --dry-run"
    })
final class DownloadCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin DownloadOptions where;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Experiment config whose beir:NAME datasets and models to fetch.")
  Path config;

  @Option(
      names = "--dry-run",
      description = "List what --config needs, with sizes and what is already here; fetch nothing.")
  boolean dryRun;

  @Spec CommandLine.Model.CommandSpec spec;

  /** How models are sized and fetched: as {@code download model} does, from the environment. */
  ModelDownloads models =
      new HubModelDownloads(
          ModelResolver.hubCacheFromEnvironment(),
          DownloadModelCommand.env("HF_ENDPOINT", ModelDownload.defaultEndpoint()),
          DownloadModelCommand.env("HF_TOKEN", null));

  /** A model the config names and whether it is here. */
  private record ModelNeed(String name, String status, boolean toFetch) {}

  @Override
  public Integer call() {
    if (config == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "expected a subcommand (beir, model) or --config FILE");
    }
    ExperimentConfig.Loaded loaded = ExperimentConfig.loadBeforeDownload(config);
    BeirDownloads downloads = where.downloads(common);
    Set<String> names = new LinkedHashSet<>();
    List<ExperimentConfig.DatasetRef> refs = new ArrayList<>();
    if (loaded.trainOn() != null) {
      refs.add(loaded.trainOn());
    }
    refs.addAll(loaded.datasets());
    for (ExperimentConfig.DatasetRef r : refs) {
      if (r.beir() != null) {
        names.add(DataHome.downloadName(r.beir()));
      }
    }
    DataHome home = where.home();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%s names %d BEIR datasets (data home %s, zips from %s):%n",
            config,
            names.size(),
            home,
            BeirDownloads.base(where.mirror)));
    long zipBytes = 0;
    List<String> toFetch = new ArrayList<>();
    for (String name : names) {
      BeirCatalogue.Entry e = downloads.downloadable(name);
      boolean here = downloads.present(name);
      long size = e.zipBytes() == null ? 0 : e.zipBytes();
      if (!here) {
        toFetch.add(name);
        zipBytes += size;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "  %-18s %-34s %s%n",
              name,
              e.zipBytes() == null ? "size: not in the catalogue" : DiskSpace.human(size),
              here ? "already there" : "to fetch"));
    }
    List<ModelNeed> modelNeeds = models(loaded);
    out.append(String.format(Locale.ROOT, "and %d models:%n", modelNeeds.size()));
    for (ModelNeed m : modelNeeds) {
      out.append(String.format(Locale.ROOT, "  %-40s %s%n", m.name(), m.status()));
    }
    long unpacked = (long) (zipBytes * DiskSpace.UNPACKED_PER_ZIP_BYTE);
    out.append(
        String.format(
            Locale.ROOT,
            "to fetch: %d datasets, %s of zips, about %s unpacked (assumed %.0fx the zips);"
                + " %d models; %s free at %s%n",
            toFetch.size(),
            DiskSpace.human(zipBytes),
            DiskSpace.human(unpacked),
            DiskSpace.UNPACKED_PER_ZIP_BYTE,
            modelNeeds.stream().filter(ModelNeed::toFetch).count(),
            DiskSpace.human(DiskSpace.free(home.root())),
            home));
    System.out.print(out);
    if (dryRun) {
      return 0;
    }
    DiskSpace.require(home.root(), zipBytes + unpacked, "the datasets of " + config);
    for (String name : toFetch) {
      downloads.fetch(name);
    }
    List<String> failed = new ArrayList<>();
    for (ModelNeed m : modelNeeds) {
      if (m.toFetch()) {
        try {
          models.fetch(m.name(), common.progress());
        } catch (IllegalArgumentException e) {
          failed.add(m.name() + ": " + e.getMessage());
        }
      }
    }
    if (!failed.isEmpty()) {
      throw new IllegalArgumentException(
          "the datasets are in place; models not fetched:\n  " + String.join("\n  ", failed));
    }
    return 0;
  }

  /** Every model the config names: built in, here, or to fetch with its size when known. */
  private List<ModelNeed> models(ExperimentConfig.Loaded loaded) {
    ModelResolver resolver = ModelResolver.fromEnvironment();
    Path base = loaded.file().toAbsolutePath().getParent();
    List<ModelNeed> needs = new ArrayList<>();
    for (String model : loaded.models()) {
      try {
        ModelResolver.Resolved r = resolver.resolve(model, base);
        needs.add(new ModelNeed(model, r.builtin() ? "built in" : "already there", false));
      } catch (ModelResolver.ModelNotFoundException e) {
        if (!ModelResolver.isHubName(model)) {
          needs.add(new ModelNeed(model, "not found, and not a Hugging Face name", false));
          continue;
        }
        OptionalLong size = models.size(model);
        needs.add(
            new ModelNeed(
                model,
                size.isPresent()
                    ? DiskSpace.human(size.getAsLong()) + "   to fetch"
                    : "size: asked at download   to fetch",
                true));
      }
    }
    return needs;
  }
}
