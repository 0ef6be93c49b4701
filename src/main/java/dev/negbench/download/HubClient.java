package dev.negbench.download;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Hugging Face hub over HTTP, asked the way huggingface_hub asks it (read in its {@code
 * hf_api.py} and {@code file_download.py}):
 *
 * <ul>
 *   <li>the files at a revision: {@code GET ENDPOINT/api/models/REPO/revision/REV?blobs=true}
 *       ({@code model_info(files_metadata=True)}): {@code sha} is the commit, {@code siblings} the
 *       files with {@code size}, {@code blobId} and, for LFS files, {@code lfs.sha256};
 *   <li>a file: {@code GET ENDPOINT/REPO/resolve/REV/PATH} ({@code hf_hub_url}), answered directly
 *       or through redirects, relative (a renamed repository, the hub's resolve cache) or absolute
 *       (a CDN). The hub's own answer carries {@code X-Repo-Commit} and the ETag that names the
 *       blob: {@code X-Linked-Etag} for an LFS file (its SHA-256), else {@code ETag}, quotes and a
 *       weak {@code W/} dropped ({@code get_hf_file_metadata}, {@code _normalize_etag});
 *   <li>a token as {@code Authorization: Bearer}, not sent on to another host ({@code
 *       hf_hub_download} drops it for the CDN).
 * </ul>
 *
 * A missing repository, revision or file and a refused token are {@link HubException}s (exit 2); a
 * host that cannot be reached or a server error are {@link UncheckedIOException}s naming the host
 * (exit 1).
 */
final class HubClient {
  static final String DEFAULT_ENDPOINT = "https://huggingface.co";
  private static final String COMMIT_HEADER = "X-Repo-Commit";
  private static final String LINKED_ETAG_HEADER = "X-Linked-Etag";
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final int MAX_REDIRECTS = 10;
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  // Bounds the wait for an answer's headers; a file's body may rightly take hours.
  private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(60);

  private final URI endpoint;
  private final String token;
  private final HttpClient http;

  /**
   * @param endpoint the hub's base URL ({@code https://huggingface.co}, a mirror, a test server)
   * @param token an access token, or null
   */
  HubClient(String endpoint, String token) {
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    this.endpoint = URI.create(base);
    if (this.endpoint.getScheme() == null || this.endpoint.getHost() == null) {
      throw new IllegalArgumentException("--endpoint: expected an http(s) URL, was " + endpoint);
    }
    this.token = token == null || token.isBlank() ? null : token.strip();
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER) // followed here, to read the hub's headers
            .build();
  }

  /** The repository's page, where a gated model's licence is accepted. */
  String page(String repo) {
    return endpoint + "/" + repo;
  }

  /** A revision's commit and its files. */
  record Listing(String commit, List<HubFile> files) {}

  /** The bytes of one file from {@code host}, with what the hub said of it. */
  record Download(String commit, String etag, boolean linked, String host, InputStream body) {}

  /** Lists the files of {@code repo} at {@code revision} (a branch, tag or commit). */
  Listing list(String repo, String revision) {
    URI uri =
        URI.create(
            endpoint + "/api/models/" + repo + "/revision/" + segment(revision) + "?blobs=true");
    JsonNode json;
    try (InputStream body = get(uri, repo, revision, null).response().body()) {
      json = Json.PLAIN.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the hub's listing " + uri, e);
    }
    String commit = json.path("sha").asText("");
    if (!COMMIT.matcher(commit).matches()) {
      throw badAnswer(uri, "expected \"sha\", a 40-digit commit hash, was '" + commit + "'");
    }
    List<HubFile> files = new ArrayList<>();
    for (JsonNode s : json.path("siblings")) {
      String path = s.path("rfilename").asText("");
      if (!safePath(path)) {
        throw badAnswer(uri, "unsafe file name '" + path + "'");
      }
      JsonNode lfs = s.path("lfs");
      String sha256 = lfs.path("sha256").asText(null);
      long size = lfs.path("size").asLong(s.path("size").asLong(-1));
      files.add(new HubFile(path, size, s.path("blobId").asText(null), sha256));
    }
    return new Listing(commit, List.copyOf(files));
  }

  /** Opens one file of {@code repo} at {@code commit}; the caller closes the body. */
  Download open(String repo, String commit, String path) {
    String encoded =
        Arrays.stream(path.split("/")).map(HubClient::segment).collect(Collectors.joining("/"));
    URI uri = URI.create(endpoint + "/" + repo + "/resolve/" + commit + "/" + encoded);
    Answer a = get(uri, repo, commit, path);
    String linked = a.hub().firstValue(LINKED_ETAG_HEADER).orElse(null);
    String etag = normalizeEtag(linked != null ? linked : a.hub().firstValue("ETag").orElse(null));
    return new Download(
        a.hub().firstValue(COMMIT_HEADER).orElse(null),
        etag,
        linked != null,
        host(a.response().uri()),
        a.response().body());
  }

  /** The final answer of a request and the headers of the hub's own answer along the way. */
  private record Answer(HttpResponse<InputStream> response, HttpHeaders hub) {}

  /**
   * GETs {@code start}, following redirects; the hub's answer is the last one that carried {@code
   * X-Repo-Commit} (the first one when none did).
   */
  private Answer get(URI start, String repo, String revision, String path) {
    URI uri = start;
    HttpHeaders hub = null;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpResponse<InputStream> r = send(uri);
      if (hub == null || r.headers().firstValue(COMMIT_HEADER).isPresent()) {
        hub = r.headers();
      }
      int status = r.statusCode();
      if (status / 100 == 2) {
        return new Answer(r, hub);
      }
      close(r);
      if (!REDIRECTS.contains(status)) {
        throw failure(status, r.headers(), uri, repo, revision, path);
      }
      String location =
          r.headers()
              .firstValue("Location")
              .orElseThrow(() -> badAnswer(start, "HTTP " + status + " without a Location"));
      uri = uri.resolve(location);
    }
    throw badAnswer(start, "more than " + MAX_REDIRECTS + " redirects");
  }

  private HttpResponse<InputStream> send(URI uri) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(HEADERS_TIMEOUT)
            .header("User-Agent", "negbench (Java " + Runtime.version().feature() + ")")
            .GET();
    if (token != null && sameOrigin(uri)) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(
          "interrupted while asking " + host(uri), new InterruptedIOException(e.getMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot reach " + host(uri) + " (" + uri + ")", new IOException(reason(e), e));
    }
  }

  private boolean sameOrigin(URI uri) {
    return Objects.equals(uri.getScheme(), endpoint.getScheme())
        && Objects.equals(uri.getHost(), endpoint.getHost())
        && uri.getPort() == endpoint.getPort();
  }

  /** The error for an answer that is neither a success nor a redirect. */
  private RuntimeException failure(
      int status, HttpHeaders h, URI uri, String repo, String revision, String path) {
    String code = h.firstValue("X-Error-Code").orElse("");
    String said = h.firstValue("X-Error-Message").map(m -> " (the hub says: " + m + ")").orElse("");
    String what = "HTTP " + status + " for " + uri + said;
    boolean repoMissing =
        code.equals("RepoNotFound") || (status == 404 && code.isEmpty() && path == null);
    if (repoMissing) {
      return new HubException(
          "no model repository '"
              + repo
              + "' at "
              + endpoint
              + ": "
              + what
              + (token == null
                  ? "; if it is private, set HF_TOKEN to a token that can read it"
                  : ""));
    }
    if (status == 404) {
      return new HubException(
          (code.equals("RevisionNotFound")
                  ? "no revision '" + revision + "' in " + repo
                  : "no file '" + path + "' in " + repo + " at " + revision)
              + ": "
              + what);
    }
    if (status == 401 || status == 403) {
      return new HubException(
          token == null
              ? repo
                  + " is gated or private: "
                  + what
                  + "; accept its licence at "
                  + page(repo)
                  + " while signed in, then set HF_TOKEN to an access token of that account ("
                  + endpoint
                  + "/settings/tokens)"
              : "the token in HF_TOKEN may not read "
                  + repo
                  + ": "
                  + what
                  + "; accept its licence at "
                  + page(repo)
                  + " with the account the token belongs to, or set HF_TOKEN to another token");
    }
    return new UncheckedIOException(
        "the hub at " + host(uri) + " failed",
        new IOException(what + (code.isEmpty() ? "" : " " + code)));
  }

  private static UncheckedIOException badAnswer(URI uri, String what) {
    return new UncheckedIOException(
        "unexpected answer from " + host(uri), new IOException(uri + ": " + what));
  }

  private static void close(HttpResponse<InputStream> r) {
    try {
      r.body().close();
    } catch (IOException e) {
      // the answer is already decided; its unread body does not matter
    }
  }

  static String host(URI uri) {
    return uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  /** The first message in a cause chain (the HTTP client's connect errors often have none). */
  private static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException) {
        return "unknown host";
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }

  /** One URL path segment, percent-encoded as Python's {@code quote(s, safe="")} does. */
  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** ETag {@code W/"x"} or {@code "x"} as {@code x} (huggingface_hub's {@code _normalize_etag}). */
  static String normalizeEtag(String etag) {
    if (etag == null) {
      return null;
    }
    String e = etag.strip();
    if (e.startsWith("W/")) {
      e = e.substring(2);
    }
    return e.replace("\"", "");
  }

  /** A relative path with no empty, {@code .} or {@code ..} part: safe to lay out in a snapshot. */
  static boolean safePath(String path) {
    if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.indexOf(0) >= 0) {
      return false;
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
