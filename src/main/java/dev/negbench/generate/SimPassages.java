package dev.negbench.generate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's "model": passages built deterministically from the prompt. It finds the query and
 * the positive (between {@code <query>}/{@code </query>} and {@code <passage>}/{@code </passage>}
 * as the default template writes them, else the whole user message is the positive), picks the
 * positive's key terms (words it shares with the query, then its longest words), and writes each
 * passage as the positive with its sentences rotated and every key term swapped for another word:
 * one of the positive's other words or a made-up one. Same prompt, same passages.
 */
final class SimPassages {
  private static final Pattern QUERY =
      Pattern.compile("<query>\\s*(.*?)\\s*</query>", Pattern.DOTALL);
  private static final Pattern PASSAGE =
      Pattern.compile("<passage>\\s*(.*?)\\s*</passage>", Pattern.DOTALL);
  private static final Pattern COUNT =
      Pattern.compile("(?i)\\b(\\d{1,2})\\s+(?:\\w+\\s+)?passages");
  private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}\\p{N}'-]*");
  private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?])\\s+");
  private static final String[] SYLLABLES = {
    "ka", "lo", "mi", "ru", "ten", "sa", "vor", "di", "pel", "nu", "gar", "zo"
  };

  private SimPassages() {}

  static List<String> generate(String userMessage, boolean copyPositive) {
    return generate(userMessage, copyPositive, null);
  }

  /**
   * As {@link #generate(String, boolean)}, with the request's sampling {@code seed} (null when it
   * sent none) mixed into the draw, as a seeded sampler gives other text for another seed.
   */
  static List<String> generate(String userMessage, boolean copyPositive, Long requestSeed) {
    Matcher q = QUERY.matcher(userMessage);
    Matcher p = PASSAGE.matcher(userMessage);
    String query = q.find() ? q.group(1) : "";
    String positive = p.find() ? p.group(1) : userMessage.strip();
    Matcher c = COUNT.matcher(userMessage);
    int n = c.find() ? Math.max(1, Integer.parseInt(c.group(1))) : 3;
    long seed = positive.hashCode() * 31L + query.hashCode();
    if (requestSeed != null) {
      seed ^= requestSeed * 0x9E3779B97F4A7C15L;
    }

    Set<String> queryWords = new LinkedHashSet<>();
    WORD.matcher(query.toLowerCase(Locale.ROOT)).results().forEach(r -> queryWords.add(r.group()));
    List<String> words = new ArrayList<>();
    WORD.matcher(positive).results().forEach(r -> words.add(r.group()));
    Set<String> keys = new LinkedHashSet<>();
    for (String w : words) {
      if (w.length() >= 3 && queryWords.contains(w.toLowerCase(Locale.ROOT))) {
        keys.add(w.toLowerCase(Locale.ROOT));
      }
    }
    List<String> byLength =
        new ArrayList<>(
            new LinkedHashSet<>(words.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList()));
    byLength.sort((a, b) -> b.length() - a.length());
    int wanted = Math.max(2, byLength.size() / 5);
    for (String w : byLength) {
      if (keys.size() >= wanted) {
        break;
      }
      keys.add(w);
    }
    List<String> others =
        byLength.stream().filter(w -> w.length() >= 4 && !keys.contains(w)).toList();
    String[] sentences = SENTENCE.split(positive.strip());

    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (copyPositive && i == 0) {
        out.add(positive);
        continue;
      }
      SplittableRandom random = new SplittableRandom(seed + 1_000_003L * (i + 1));
      StringBuilder text = new StringBuilder();
      for (int s = 0; s < sentences.length; s++) {
        String sentence = sentences[(s + i + 1) % sentences.length];
        text.append(s == 0 ? "" : " ").append(swap(sentence, keys, others, random));
      }
      out.add(text.toString());
    }
    return out;
  }

  private static String swap(
      String sentence, Set<String> keys, List<String> others, SplittableRandom random) {
    Matcher m = WORD.matcher(sentence);
    StringBuilder out = new StringBuilder();
    boolean swapped = false;
    while (m.find()) {
      String w = m.group();
      String replacement = w;
      if (keys.contains(w.toLowerCase(Locale.ROOT))) {
        replacement = replacement(others, random);
        swapped = true;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    if (!swapped) {
      // Every sentence changes, so none repeats the positive's (answer) sentences verbatim.
      out.insert(0, "In " + madeUp(random) + ", ");
    }
    return out.toString();
  }

  private static String replacement(List<String> others, SplittableRandom random) {
    return !others.isEmpty() && random.nextBoolean()
        ? others.get(random.nextInt(others.size()))
        : madeUp(random);
  }

  private static String madeUp(SplittableRandom random) {
    int parts = 2 + random.nextInt(2);
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < parts; i++) {
      w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
    }
    return w.toString();
  }
}
