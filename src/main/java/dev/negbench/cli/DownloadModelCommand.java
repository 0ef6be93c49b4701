package dev.negbench.cli;

import dev.negbench.download.HubFile;
import dev.negbench.download.ModelDownload;
import dev.negbench.model.ModelResolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = {
      "Download a model from the Hugging Face hub into the Hugging Face cache, laid out as huggingface_hub lays it (blobs/, snapshots/COMMIT/ links, refs/REVISION), where Python tools and negbench's model names find it.",
      "",
      "By default it takes what negbench reads: config.json, the tokenizer files there are, and model.safetensors, else onnx/model.onnx. LFS files are checked against the SHA-256 the hub reports; a file already in the cache is not fetched again. HF_TOKEN authorises gated and private repositories.",
      "",
      "Example: negbench download model cross-encoder/ms-marco-MiniLM-L6-v2"
    })
final class DownloadModelCommand implements Callable<Integer> {
  /** Where HF_TOKEN and HF_ENDPOINT are read; tests put a map of their own here. */
  static UnaryOperator<String> environment = System::getenv;

  @Parameters(paramLabel = "ORG/NAME", description = "The model's repository on the hub.")
  String repo;

  @Option(
      names = "--revision",
      paramLabel = "R",
      description = "Branch, tag or commit (default ${DEFAULT-VALUE}).")
  String revision = "main";

  @Option(
      names = "--include",
      arity = "1..*",
      paramLabel = "GLOB",
      description =
          "Take the files matching these globs instead of negbench's set ('*' also crosses '/'; 'onnx/' means all under onnx/).")
  List<String> includes = new ArrayList<>();

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "The hub (default: $HF_ENDPOINT, else https://huggingface.co).")
  String endpoint;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "The hub cache (default: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub: where model names are resolved).")
  Path cache;

  @Option(
      names = "--dry-run",
      description = "List the files it would take, with their sizes, and write nothing.")
  boolean dryRun;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress bar and no summary on stderr.")
  boolean quiet;

  @Override
  public Integer call() {
    String hub = endpoint != null ? endpoint : env("HF_ENDPOINT", ModelDownload.defaultEndpoint());
    Path dir = cache != null ? cache : ModelResolver.hubCacheFromEnvironment();
    ModelDownload download =
        new ModelDownload(dir, hub, env("HF_TOKEN", null), new ConsoleProgress(quiet));
    if (dryRun) {
      List<HubFile> files = download.plan(repo, revision, includes);
      long total = 0;
      for (HubFile f : files) {
        System.out.printf(Locale.ROOT, "%12s  %s%n", size(f.size()), f.path());
        total += Math.max(0, f.size());
      }
      System.out.printf(
          Locale.ROOT, "%12s  %d files of %s at %s%n", size(total), files.size(), repo, revision);
      System.out.flush();
      return 0;
    }
    long start = System.nanoTime();
    ModelDownload.Result r = download.download(repo, revision, includes);
    if (!quiet) {
      System.err.printf(
          Locale.ROOT,
          "%s at %s (%s): %d files, %d fetched (%s in %.1f s), %d already in the cache%n",
          repo,
          revision,
          r.commit(),
          r.files().size(),
          r.fetched(),
          size(r.bytesFetched()),
          (System.nanoTime() - start) / 1e9,
          r.files().size() - r.fetched());
    }
    System.out.println(r.snapshot());
    System.out.flush();
    return 0;
  }

  static String env(String name, String otherwise) {
    String v = environment.apply(name);
    return v == null || v.isBlank() ? otherwise : v;
  }

  /** Bytes in decimal units, as the hub's pages show sizes. */
  static String size(long bytes) {
    if (bytes < 0) {
      return "?";
    }
    if (bytes < 1_000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double v = bytes / 1e3;
    int u = 0;
    while (v >= 1_000 && u < units.length - 1) {
      v /= 1_000;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
