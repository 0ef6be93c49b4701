package dev.negbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in the README and under {@code docs/} resolves: the file or folder exists,
 * and a {@code #fragment} into a Markdown file names one of its headings (GitHub's anchors). The
 * README stays a front door of at most 250 lines.
 */
class DocsLinksTest {
  /** {@code [text](target)}; the target ends at whitespace or the closing parenthesis. */
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

  private static final Pattern FENCE = Pattern.compile("^\\s*```");

  /** The Markdown files of the front door and the docs, README first. */
  static List<Path> pages(Path root) throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    Path docs = root.resolve("docs");
    if (Files.isDirectory(docs)) {
      try (Stream<Path> s = Files.walk(docs)) {
        s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
      }
    }
    return pages;
  }

  /** Each broken link of {@code page} as {@code file:line: target (why)}. */
  static List<String> brokenLinks(Path root, Path page) throws IOException {
    List<String> broken = new ArrayList<>();
    List<String> lines = Files.readAllLines(page);
    boolean inFence = false;
    for (int i = 0; i < lines.size(); i++) {
      if (FENCE.matcher(lines.get(i)).find()) {
        inFence = !inFence;
        continue;
      }
      if (inFence) {
        continue;
      }
      Matcher m = LINK.matcher(lines.get(i));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
          continue; // http:, https:, mailto:: not checked offline
        }
        String why = whyBroken(page, target);
        if (why != null) {
          broken.add(root.relativize(page) + ":" + (i + 1) + ": " + target + " (" + why + ")");
        }
      }
    }
    return broken;
  }

  private static String whyBroken(Path page, String target) throws IOException {
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
    if (!Files.exists(resolved)) {
      return "no such file";
    }
    if (hash >= 0 && resolved.toString().endsWith(".md")) {
      String anchor = target.substring(hash + 1);
      if (!anchors(resolved).contains(anchor)) {
        return "no heading with anchor #" + anchor + " in " + resolved.getFileName();
      }
    }
    return null;
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens, repeats -N. */
  static Set<String> anchors(Path md) throws IOException {
    Set<String> out = new HashSet<>();
    boolean inFence = false;
    for (String line : Files.readAllLines(md)) {
      if (FENCE.matcher(line).find()) {
        inFence = !inFence;
      }
      if (inFence || !line.startsWith("#")) {
        continue;
      }
      String slug =
          line.replaceFirst("^#+\\s*", "")
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^\\p{L}\\p{N} _-]", "")
              .replace(' ', '-');
      String unique = slug;
      for (int n = 1; !out.add(unique); n++) {
        unique = slug + "-" + n;
      }
    }
    return out;
  }

  @Test
  void everyRelativeLinkResolves() throws IOException {
    Path root = Path.of("");
    List<String> broken = new ArrayList<>();
    List<Path> pages = pages(root.toAbsolutePath());
    assertTrue(pages.size() > 5, "README and docs pages found: " + pages);
    for (Path page : pages) {
      broken.addAll(brokenLinks(root.toAbsolutePath(), page));
    }
    assertEquals(List.of(), broken, "broken links");
  }

  /**
   * Examples read data inside the checkout: {@code beir:NAME} or {@code $NEGBENCH_DATA/NAME}, never
   * a folder beside the clone ({@code ../shared/data}, {@code ../data}; issue 30). The measurement
   * stories under docs/results name the folders they ran on and are left out.
   */
  @Test
  void examplesNameNoDataFolderOutsideTheCheckout() throws IOException {
    Pattern outside = Pattern.compile("\\.\\./(shared|data)/");
    List<String> found = new ArrayList<>();
    for (Path page : pages(Path.of(""))) {
      if (page.startsWith(Path.of("docs", "results"))) {
        continue;
      }
      List<String> lines = Files.readAllLines(page);
      boolean inFence = false;
      for (int i = 0; i < lines.size(); i++) {
        if (FENCE.matcher(lines.get(i)).find()) {
          inFence = !inFence;
        } else if (inFence && outside.matcher(lines.get(i)).find()) {
          found.add(page + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    }
    assertEquals(List.of(), found, "examples with a data folder outside the checkout");
  }

  @Test
  void readmeIsAtMost250Lines() throws IOException {
    int lines = Files.readAllLines(Path.of("README.md")).size();
    assertTrue(lines <= 250, "README.md has " + lines + " lines; move detail to docs/");
  }

  /** The check is not vacuous: a missing file and a missing heading are both reported. */
  @Test
  void aBrokenLinkIsReported(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("docs"));
    Files.writeString(dir.resolve("docs/a.md"), "# A page\n\n## The two commands\n");
    Files.writeString(
        dir.resolve("README.md"),
        String.join(
            "\n",
            "# x",
            "[ok](docs/a.md) [ok too](docs/a.md#the-two-commands) [web](https://example.org/x)",
            "```",
            "[in a code block](nowhere.md)",
            "```",
            "[gone](docs/b.md)",
            "[bad anchor](docs/a.md#three-commands)",
            ""));
    List<String> broken = new ArrayList<>();
    for (Path page : pages(dir)) {
      broken.addAll(brokenLinks(dir, page));
    }
    assertEquals(
        List.of(
            "README.md:6: docs/b.md (no such file)",
            "README.md:7: docs/a.md#three-commands (no heading with anchor #three-commands in a.md)"),
        broken);
  }
}
