package dev.negbench.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds a model given by name, offline, the way a researcher has it on disk: a built-in name
 * ({@code minilm}), a folder (relative to a base folder such as the config's), a {@code
 * models/NAME} folder beside it, or a Hugging Face name ({@code distilbert-base-uncased}, {@code
 * cross-encoder/ms-marco-MiniLM-L6-v2}) in the local Hugging Face cache: {@code
 * $HF_HOME/hub/models--ORG--NAME/snapshots/REV/} with REV from {@code refs/main} ({@code
 * HF_HUB_CACHE} names the hub folder directly; {@code HF_HOME} defaults to {@code
 * ~/.cache/huggingface}). Nothing is downloaded here: a model found nowhere is an error naming
 * every path tried and the command that fetches it ({@code negbench download model}, which writes
 * this layout).
 */
public final class ModelResolver {
  /** A Hugging Face repository id: {@code name} or {@code org/name}. */
  private static final Pattern HF_NAME =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");

  private final Path hubCache;

  /** Looks in {@code hubCache} (the folder holding {@code models--ORG--NAME}). */
  public ModelResolver(Path hubCache) {
    this.hubCache = hubCache;
  }

  /**
   * The hub cache named by the environment: {@code -Dnegbench.hf_hub_cache}, else {@code
   * HF_HUB_CACHE}, else {@code HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}.
   */
  public static ModelResolver fromEnvironment() {
    return new ModelResolver(hubCacheFromEnvironment());
  }

  /**
   * The hub cache folder named by the environment, by the rule of {@link #fromEnvironment()}; the
   * folder {@code huggingface_hub} and {@code negbench download model} write to.
   */
  public static Path hubCacheFromEnvironment() {
    String hub = System.getProperty("negbench.hf_hub_cache", System.getenv("HF_HUB_CACHE"));
    if (hub != null && !hub.isBlank()) {
      return Path.of(hub);
    }
    String home = System.getenv("HF_HOME");
    Path base =
        home != null && !home.isBlank()
            ? Path.of(home)
            : Path.of(System.getProperty("user.home"), ".cache", "huggingface");
    return base.resolve("hub");
  }

  /**
   * Whether {@code model} reads as a Hugging Face repository id ({@code NAME}, {@code ORG/NAME}).
   */
  public static boolean isHubName(String model) {
    return HF_NAME.matcher(model).matches();
  }

  /** Where a model was found: a built-in name (as given) or a folder. */
  public record Resolved(String reference, boolean builtin) {
    public Path dir() {
      return BuiltinModels.resolve(reference);
    }
  }

  /**
   * Resolves {@code model} against {@code base} (paths in a config are relative to its folder).
   *
   * @throws ModelNotFoundException naming every path tried and how to fetch the model
   */
  public Resolved resolve(String model, Path base) {
    if (BuiltinModels.isBuiltin(model)) {
      return new Resolved(model, true);
    }
    List<Path> tried = new ArrayList<>();
    for (Path candidate : candidates(model, base)) {
      tried.add(candidate);
      if (Files.isDirectory(candidate)) {
        return new Resolved(candidate.toString(), false);
      }
    }
    throw new ModelNotFoundException(model, tried);
  }

  /** The folders a model name may be, in the order they are tried. */
  List<Path> candidates(String model, Path base) {
    List<Path> paths = new ArrayList<>();
    Path asPath = base.resolve(model).normalize();
    paths.add(asPath);
    if (!HF_NAME.matcher(model).matches()) {
      return paths;
    }
    Path models = base.resolve("models");
    paths.add(models.resolve(model).normalize());
    if (model.contains("/")) {
      paths.add(models.resolve(model.substring(model.indexOf('/') + 1)).normalize());
    }
    Path repo = hubCache.resolve("models--" + model.replace("/", "--"));
    paths.add(snapshot(repo));
    return paths;
  }

  /**
   * {@code repo/snapshots/REV} with REV read from {@code refs/main}; the snapshots folder itself
   * when there is no ref.
   */
  private static Path snapshot(Path repo) {
    Path ref = repo.resolve("refs").resolve("main");
    try {
      if (Files.isRegularFile(ref)) {
        String rev = Files.readString(ref, StandardCharsets.UTF_8).strip();
        if (!rev.isEmpty() && !rev.contains("/") && !rev.contains("..")) {
          return repo.resolve("snapshots").resolve(rev);
        }
      }
    } catch (IOException e) {
      // unreadable ref: reported as the path tried
    }
    return repo.resolve("snapshots").resolve("<refs/main>");
  }

  /** A model found nowhere: the paths tried and the command that would fetch it. */
  public static final class ModelNotFoundException extends IllegalArgumentException {
    private final List<Path> tried;

    ModelNotFoundException(String model, List<Path> tried) {
      super(
          "model '"
              + model
              + "' not found; looked in "
              + tried
              + (HF_NAME.matcher(model).matches()
                  ? "; fetch it with `negbench download model "
                      + model
                      + "` (or `huggingface-cli download "
                      + model
                      + "`, or put the folder at one of those paths), or use the built-in 'minilm'"
                  : "; expected a model folder, a Hugging Face name, or the built-in 'minilm'"));
      this.tried = List.copyOf(tried);
    }

    public List<Path> tried() {
      return tried;
    }
  }
}
