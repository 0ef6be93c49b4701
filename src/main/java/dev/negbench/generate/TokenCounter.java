package dev.negbench.generate;

import dev.negbench.model.TextTokenizer;
import java.nio.file.Path;

/** Counts tokens when a server omits {@code usage}, with the generator's own tokenizer. */
public final class TokenCounter implements AutoCloseable {
  private final TextTokenizer tokenizer;
  private final int specialTokens;

  private TokenCounter(TextTokenizer tokenizer) {
    this.tokenizer = tokenizer;
    // encode() adds the template's special tokens ([CLS]/[SEP], <s>...); count only the text's.
    this.specialTokens = tokenizer.encode("").length();
  }

  /** Null when the profile names no tokenizer. */
  public static TokenCounter of(GeneratorProfile profile) {
    Path file = profile.tokenizer();
    return file == null ? null : new TokenCounter(TextTokenizer.load(file, 1 << 20));
  }

  public int count(String text) {
    return Math.max(0, tokenizer.encode(text).length() - specialTokens);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
