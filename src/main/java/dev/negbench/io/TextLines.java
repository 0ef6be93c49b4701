package dev.negbench.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a text file line by line as strict UTF-8, dropping a leading byte order mark and a trailing
 * carriage return on each line (BEIR files come from Windows tools too), and counting lines so that
 * every error can name its line.
 */
public final class TextLines implements AutoCloseable {
  private final Path file;
  private final BufferedReader reader;
  private long lineNumber;

  private TextLines(Path file, BufferedReader reader) {
    this.file = file;
    this.reader = reader;
  }

  public static TextLines open(Path file) {
    try {
      InputStream in = Files.newInputStream(file);
      var decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      return new TextLines(file, new BufferedReader(new InputStreamReader(in, decoder), 1 << 16));
    } catch (NoSuchFileException e) {
      throw new DatasetFormatException(file, 0, "file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  /** The next line without its terminator, or null at the end of the file. */
  public String next() {
    String line;
    try {
      line = reader.readLine();
    } catch (CharacterCodingException e) {
      throw new DatasetFormatException(file, lineNumber + 1, "expected UTF-8 text", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (line == null) {
      return null;
    }
    lineNumber++;
    if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
      line = line.substring(1);
    }
    if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
      line = line.substring(0, line.length() - 1);
    }
    return line;
  }

  /** 1-based number of the line last returned by {@link #next()}. */
  public long lineNumber() {
    return lineNumber;
  }

  public Path file() {
    return file;
  }

  public DatasetFormatException error(String expected) {
    return new DatasetFormatException(file, lineNumber, expected);
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
