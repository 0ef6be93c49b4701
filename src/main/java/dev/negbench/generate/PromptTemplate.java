package dev.negbench.generate;

import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt template: text with {@code {{query}}}, {@code {{positive}}} and {@code {{n}}}
 * placeholders. A line {@code ---user---} splits it into a system message (above) and the user
 * message (below); without one the whole text is the user message. All three placeholders must
 * appear, and no other {@code {{...}}}.
 */
public record PromptTemplate(String source, String system, String user) {
  public static final String DEFAULT_RESOURCE = "/dev/negbench/generate/default-prompt.txt";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_]+)\\s*}}");
  private static final List<String> REQUIRED = List.of("query", "positive", "n");
  private static final String SPLIT = "---user---";

  /** The system and user messages of one request. */
  public record Messages(String system, String user) {}

  /** The built-in template for the paper's task. */
  public static PromptTemplate defaultTemplate() {
    try (InputStream in = PromptTemplate.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
      }
      return parse(
          "built-in default template", new String(in.readAllBytes(), StandardCharsets.UTF_8), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PromptTemplate load(Path file) {
    try {
      return parse(file.toString(), Files.readString(file), file);
    } catch (NoSuchFileException e) {
      throw new DatasetFormatException(file, 0, "prompt template not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The profile's template, or the default. */
  public static PromptTemplate of(GeneratorProfile profile) {
    return profile.promptTemplate() == null ? defaultTemplate() : load(profile.promptTemplate());
  }

  static PromptTemplate parse(String source, String text, Path file) {
    String system = "";
    String user = text;
    int split = text.indexOf(SPLIT);
    if (split >= 0) {
      system = text.substring(0, split).strip();
      user = text.substring(split + SPLIT.length()).strip();
    }
    List<String> found = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      String name = m.group(1);
      if (!REQUIRED.contains(name)) {
        throw bad(
            file,
            source,
            "unknown placeholder {{"
                + name
                + "}}; expected only {{query}}, {{positive}} and {{n}}");
      }
      found.add(name);
    }
    for (String name : REQUIRED) {
      if (!found.contains(name)) {
        throw bad(
            file,
            source,
            "missing placeholder {{"
                + name
                + "}}; a template needs {{query}}, {{positive}} and {{n}}");
      }
    }
    if (user.isBlank()) {
      throw bad(file, source, "empty user message after " + SPLIT);
    }
    return new PromptTemplate(source, system, user);
  }

  private static RuntimeException bad(Path file, String source, String msg) {
    return file == null
        ? new IllegalArgumentException(source + ": " + msg)
        : new DatasetFormatException(file, 0, msg);
  }

  public Messages render(String query, String positive, int n) {
    return new Messages(fill(system, query, positive, n), fill(user, query, positive, n));
  }

  private static String fill(String text, String query, String positive, int n) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder(text.length() + positive.length() + query.length());
    while (m.find()) {
      String value =
          switch (m.group(1)) {
            case "query" -> query;
            case "positive" -> positive;
            default -> Integer.toString(n);
          };
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
