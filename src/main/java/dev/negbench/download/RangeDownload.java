package dev.negbench.download;

import dev.negbench.io.Json;
import dev.negbench.io.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches one file over HTTP into {@code FILE.part}, resuming an interrupted fetch with a Range
 * request (RFC 9110 section 14). Beside the part, {@code FILE.part.json} records the URL, the
 * server's ETag and the whole length; a rerun asks for the bytes from the part's length on, with
 * {@code If-Range} set to the ETag, and appends them only when the server answers 206 with a {@code
 * Content-Range} that starts at that byte and ends at the recorded length. Any other answer (200: a
 * server that ignores ranges or whose file changed; 416; another range) starts over from byte 0.
 * Bytes are appended only as they arrive, so a broken connection leaves a part holding a prefix of
 * the file.
 */
public final class RangeDownload {
  /** {@code bytes START-END/TOTAL}. */
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  private final HttpClient client;
  private final Progress.Factory progress;

  public RangeDownload(Progress.Factory progress) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    this.progress = progress;
  }

  /** What the part was fetched from, so that a rerun resumes only the same file. */
  record State(String url, String etag, long length) {}

  /** The state file beside a part. */
  static Path stateOf(Path part) {
    return part.resolveSibling(part.getFileName() + ".json");
  }

  /** Deletes a part and its state. */
  public static void discard(Path part) {
    try {
      Files.deleteIfExists(part);
      Files.deleteIfExists(stateOf(part));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + part, e);
    }
  }

  /**
   * Fetches {@code url} into {@code part}, resuming from what it holds when its state names the
   * same URL.
   *
   * @return the whole file's length
   * @throws UncheckedIOException when the host cannot be reached, answers an error, or the
   *     connection breaks (the part then holds the bytes received so far, for a rerun to resume)
   */
  public long fetch(URI url, Path part) {
    return fetch(url, part, true);
  }

  private long fetch(URI url, Path part, boolean mayRestart) {
    State state = readState(part);
    long have = size(part);
    if (state == null || !state.url().equals(url.toString()) || have > state.length()) {
      discard(part);
      state = null;
      have = 0;
    } else if (have == state.length()) {
      return have; // fetched whole before; the caller checks its MD5
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
    if (have > 0) {
      request.header("Range", "bytes=" + have + "-");
      if (state.etag() != null) {
        request.header("If-Range", state.etag());
      }
    }
    HttpResponse<InputStream> response = send(url, request.build());
    int status = response.statusCode();
    long length;
    if (status == 206 && have > 0) {
      Matcher m = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
      if (!m.matches()
          || Long.parseLong(m.group(1)) != have
          || Long.parseLong(m.group(3)) != state.length()
          || Long.parseLong(m.group(2)) != state.length() - 1) {
        return restart(url, part, response, mayRestart);
      }
      length = state.length();
    } else if (status == 200) {
      have = 0;
      length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      Optional<String> etag = response.headers().firstValue("ETag");
      writeState(part, new State(url.toString(), etag.orElse(null), length));
    } else if ((status == 206 || status == 416) && mayRestart) {
      return restart(url, part, response, true);
    } else {
      close(response);
      throw new UncheckedIOException(
          "HTTP " + status + " from " + url, new IOException("expected 200, or 206 to a range"));
    }
    return receive(url, part, response.body(), have, length);
  }

  /** Starts over from byte 0 once: the server did not answer the range asked for. */
  private long restart(URI url, Path part, HttpResponse<InputStream> response, boolean mayRestart) {
    close(response);
    if (!mayRestart) {
      throw new UncheckedIOException(
          "cannot resume " + url,
          new IOException("it answered a range other than the one asked for, twice"));
    }
    discard(part);
    return fetch(url, part, false);
  }

  /** Appends the body to the part from byte {@code have}; returns the length reached. */
  private long receive(URI url, Path part, InputStream body, long have, long length) {
    String name = part.getFileName().toString().replaceFirst("\\.part$", "");
    var open =
        have > 0
            ? new StandardOpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.APPEND}
            : new StandardOpenOption[] {
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING
            };
    long at = have;
    try (InputStream in = body;
        FileChannel out = FileChannel.open(part, open);
        Progress bar = progress.startBytes(name, length)) {
      bar.advance(have);
      byte[] buf = new byte[1 << 16];
      int n;
      while (true) {
        try {
          n = in.read(buf);
        } catch (IOException e) {
          throw broken(url, part, at, length, e);
        }
        if (n < 0) {
          break;
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
        while (b.hasRemaining()) {
          out.write(b);
        }
        at += n;
        bar.advance(n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + part + " (at byte " + at + ")", e);
    }
    if (length >= 0 && at != length) {
      throw broken(url, part, at, length, new IOException("the server closed the connection"));
    }
    if (length < 0) {
      writeState(part, new State(url.toString(), readState(part).etag(), at));
    }
    return at;
  }

  private static UncheckedIOException broken(
      URI url, Path part, long at, long length, IOException cause) {
    return new UncheckedIOException(
        String.format(
            Locale.ROOT,
            "the download of %s stopped at byte %,d of %,d; the bytes so far are kept in %s:"
                + " run the same command again to resume",
            url,
            at,
            length,
            part),
        new IOException(reason(cause), cause));
  }

  private HttpResponse<InputStream> send(URI url, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      // HttpClient's ConnectException often carries no message: say what it means.
      throw new UncheckedIOException(
          "cannot reach " + url.getHost() + " for " + url,
          new IOException(
              e.getMessage() == null ? "the connection was refused or timed out" : reason(e), e));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fetch " + url, new IOException(reason(e), e));
    } catch (UnresolvedAddressException e) {
      throw new UncheckedIOException(
          "cannot reach " + url.getHost() + " for " + url, new IOException("unknown host " + e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException("interrupted while fetching " + url, new IOException(e));
    }
  }

  /** An exception's message, else its cause's, else its type (HttpClient's may carry none). */
  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  private static void close(HttpResponse<InputStream> response) {
    try {
      response.body().close();
    } catch (IOException e) {
      // the answer is dropped anyway
    }
  }

  private static long size(Path part) {
    try {
      return Files.exists(part) ? Files.size(part) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + part, e);
    }
  }

  private static State readState(Path part) {
    Path file = stateOf(part);
    if (!Files.isRegularFile(file) || !Files.exists(part)) {
      return null;
    }
    try {
      return Json.PLAIN.readValue(file.toFile(), State.class);
    } catch (IOException e) {
      return null; // unreadable: start over
    }
  }

  private static void writeState(Path part, State state) {
    try {
      Files.writeString(stateOf(part), Json.PLAIN.writeValueAsString(state));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + stateOf(part), e);
    }
  }
}
