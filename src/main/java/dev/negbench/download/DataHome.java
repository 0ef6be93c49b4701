package dev.negbench.download;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where downloaded datasets live: {@code $NEGBENCH_DATA}, else {@code data/} in the working folder
 * (git ignores it). A config names a dataset there as {@code beir:NAME}; {@code negbench download
 * beir NAME} fills {@code DATA_HOME/NAME}. A name may have one sub-folder ({@code
 * cqadupstack/android}): a part of a dataset that comes in one zip with its siblings.
 */
public final class DataHome {
  /** The prefix of a dataset entry that names a folder under the data home. */
  public static final String BEIR = "beir:";

  /** The environment variable that moves the data home. */
  public static final String ENV = "NEGBENCH_DATA";

  /** The same as a system property, which wins (tests set it; a JVM cannot set its own env). */
  static final String PROPERTY = "negbench.data";

  /** A dataset name: lower-case words, at most one sub-folder; never {@code ..} or absolute. */
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)?");

  private final Path root;

  public DataHome(Path root) {
    this.root = root;
  }

  /** {@code -Dnegbench.data}, else {@code $NEGBENCH_DATA}, else {@code data}. */
  public static DataHome fromEnvironment() {
    String dir = System.getProperty(PROPERTY, System.getenv(ENV));
    return new DataHome(Path.of(dir == null || dir.isBlank() ? "data" : dir));
  }

  public Path root() {
    return root;
  }

  /**
   * The folder of dataset {@code name}.
   *
   * @throws IllegalArgumentException for a name that is not a dataset name
   */
  public Path dir(String name) {
    return root.resolve(checkedName(name)).normalize();
  }

  /** True for an entry {@code beir:NAME}. */
  public static boolean isBeir(String entry) {
    return entry != null && entry.startsWith(BEIR);
  }

  /** The NAME of {@code beir:NAME}. */
  public static String beirName(String entry) {
    return entry.substring(BEIR.length());
  }

  /** Whether {@code name} is a dataset name (see {@link #dir}). */
  public static boolean isName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * The dataset whose zip holds {@code name}: {@code cqadupstack} for {@code cqadupstack/android},
   * the name itself otherwise.
   */
  public static String downloadName(String name) {
    int slash = name.indexOf('/');
    return slash < 0 ? name : name.substring(0, slash);
  }

  /** The command that fetches {@code name} into the data home. */
  public static String downloadCommand(String name) {
    return "bin/negbench download beir " + downloadName(name);
  }

  private static String checkedName(String name) {
    if (!isName(name)) {
      throw new IllegalArgumentException(
          "expected a dataset name of lower-case letters, digits, '.', '_' or '-' (at most one"
              + " sub-folder, e.g. cqadupstack/android), was '"
              + name
              + "'");
    }
    return name;
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
