package dev.negbench.download;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which files of a repository a download takes: by default what negbench reads (the config, the
 * tokenizer files there are, and one weights file), else the files matching {@code --include}
 * globs, matched as huggingface_hub's {@code allow_patterns} are ({@code utils/_paths.py} {@code
 * filter_repo_objects}: Python's {@code fnmatch} on the whole path, where {@code *} also crosses
 * {@code /}, and a pattern ending in {@code /} means everything under that folder).
 */
final class FileSelection {
  /** Read by negbench: {@code TransformerConfig} and {@code ModelFolder}. */
  static final String CONFIG = "config.json";

  /**
   * Tokenizer files: negbench reads {@code tokenizer.json}; the rest let Python tools load the same
   * snapshot (WordPiece {@code vocab.txt}, BPE {@code vocab.json} and {@code merges.txt},
   * SentencePiece models under the names transformers gives them).
   */
  static final Set<String> TOKENIZER =
      Set.of(
          "tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json",
          "vocab.txt",
          "vocab.json",
          "merges.txt",
          "spiece.model",
          "sentencepiece.bpe.model",
          "tokenizer.model");

  /**
   * Weights, the first present taken: safetensors for DJL (training and encoding), else an ONNX
   * export for ONNX Runtime, where the Hub's sentence-transformers repositories keep it.
   */
  static final List<String> WEIGHTS = List.of("model.safetensors", "onnx/model.onnx", "model.onnx");

  private FileSelection() {}

  /**
   * The files of {@code files} to download, in listing order.
   *
   * @param includes globs; empty for negbench's default set
   * @throws HubException when nothing matches, or the default set finds no weights
   */
  static List<HubFile> select(String repo, List<HubFile> files, List<String> includes) {
    List<HubFile> out = new ArrayList<>();
    if (!includes.isEmpty()) {
      List<Pattern> globs = includes.stream().map(FileSelection::glob).toList();
      for (HubFile f : files) {
        if (globs.stream().anyMatch(g -> g.matcher(f.path()).matches())) {
          out.add(f);
        }
      }
      if (out.isEmpty()) {
        throw new HubException(
            repo
                + ": no file matches --include "
                + includes
                + "; the repository has "
                + paths(files));
      }
      return out;
    }
    String weights =
        WEIGHTS.stream()
            .filter(w -> files.stream().anyMatch(f -> f.path().equals(w)))
            .findFirst()
            .orElseThrow(
                () ->
                    new HubException(
                        repo
                            + ": none of "
                            + WEIGHTS
                            + " is in the repository; name the files to take with --include (it has "
                            + paths(files)
                            + ")"));
    for (HubFile f : files) {
      if (f.path().equals(CONFIG) || TOKENIZER.contains(f.path()) || f.path().equals(weights)) {
        out.add(f);
      }
    }
    return out;
  }

  /** A glob as a regular expression, with fnmatch's meaning of {@code * ? [seq] [!seq]}. */
  static Pattern glob(String glob) {
    String g = glob.endsWith("/") ? glob + "*" : glob;
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      int close = c == '[' ? g.indexOf(']', i + 2) : -1;
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else if (close > 0) {
        String set = g.substring(i + 1, close).replace("\\", "\\\\");
        re.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
        i = close;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  private static String paths(List<HubFile> files) {
    List<String> names = files.stream().map(HubFile::path).limit(20).toList();
    return names + (files.size() > names.size() ? " and " + (files.size() - 20) + " more" : "");
  }
}
