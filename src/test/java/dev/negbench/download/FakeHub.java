package dev.negbench.download;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Hugging Face hub on the loopback with the paths and headers huggingface_hub relies on: the API
 * listing ({@code /api/models/REPO/revision/REV?blobs=true}) and {@code /REPO/resolve/REV/PATH},
 * which answers a git file with its bytes, a file named {@code tokenizer*} by a relative redirect
 * to {@code /api/resolve-cache/...} (as the hub now does), and an LFS file by an absolute redirect
 * to {@code /cdn/REPO/SHA256} carrying {@code X-Linked-Etag}; every hub answer carries {@code
 * X-Repo-Commit} and a quoted {@code ETag}. It records each request's path and Authorization.
 */
public final class FakeHub implements AutoCloseable {
  /** How a repository misbehaves. */
  public enum Fault {
    NONE,
    /** The CDN sends LFS bytes that do not match the SHA-256 the hub lists. */
    WRONG_SHA256,
    /** The CDN closes the connection halfway through an LFS file. */
    CUT
  }

  /** A repository: its files (LFS when the path is in {@code lfs}), its commit, its gate. */
  public record Repo(
      String id,
      String commit,
      Map<String, byte[]> files,
      List<String> lfs,
      String token,
      Fault fault) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, Repo> repos = new ConcurrentHashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());

  public FakeHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public Repo add(Repo repo) {
    repos.put(repo.id(), repo);
    return repo;
  }

  /**
   * A repository holding a fixture model folder's files as the Hub's sentence-transformers repos
   * lay them out: config.json, tokenizer.json and README.md in git, model.safetensors and
   * onnx/model.onnx in LFS.
   */
  public Repo addModel(String id, Path fixture, String token, Fault fault) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("README.md", ("# " + id + "\n").getBytes(StandardCharsets.UTF_8));
    files.put("config.json", Files.readAllBytes(fixture.resolve("config.json")));
    files.put("tokenizer.json", Files.readAllBytes(fixture.resolve("tokenizer.json")));
    files.put("model.safetensors", Files.readAllBytes(fixture.resolve("model.safetensors")));
    files.put("onnx/model.onnx", Files.readAllBytes(fixture.resolve("model.onnx")));
    String commit = AtomicFiles.sha256(id).substring(0, 40);
    return add(
        new Repo(id, commit, files, List.of("model.safetensors", "onnx/model.onnx"), token, fault));
  }

  /** The request paths so far ({@code METHOD PATH}), in order. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The requests so far whose path starts with {@code prefix}. */
  public long count(String prefix) {
    return requests().stream()
        .filter(r -> r.substring(r.indexOf(' ') + 1).startsWith(prefix))
        .count();
  }

  /** The Authorization header of each request ("" when absent). */
  public List<String> authorizations() {
    synchronized (authorizations) {
      return List.copyOf(authorizations);
    }
  }

  /** A git blob id: SHA-1 of {@code "blob SIZE\0"} and the bytes. */
  public static String gitOid(byte[] bytes) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(sha1.digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(AtomicFiles.sha256(bytes));
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      requests.add(ex.getRequestMethod() + " " + path);
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "" : auth);
      if (path.startsWith("/api/models/")) {
        listing(ex, path.substring("/api/models/".length()));
      } else if (path.startsWith("/api/resolve-cache/models/")) {
        resolveCache(ex, path.substring("/api/resolve-cache/models/".length()));
      } else if (path.startsWith("/cdn/")) {
        cdn(ex, path.substring("/cdn/".length()));
      } else {
        resolve(ex, path.substring(1));
      }
    } catch (IOException | RuntimeException e) {
      // a client that went away (a cut download) or a test's deliberate fault
    }
  }

  /** {@code ORG/NAME/revision/REV}. */
  private void listing(HttpExchange ex, String rest) throws IOException {
    int at = rest.indexOf("/revision/");
    Repo repo = at < 0 ? null : repos.get(rest.substring(0, at));
    if (repo == null) {
      send(ex, 404, Map.of("X-Error-Code", "RepoNotFound"), new byte[0]);
      return;
    }
    String rev = rest.substring(at + "/revision/".length());
    if (!rev.equals("main") && !rev.equals(repo.commit())) {
      send(ex, 404, Map.of("X-Error-Code", "RevisionNotFound"), new byte[0]);
      return;
    }
    ObjectNode json = Json.PLAIN.createObjectNode().put("id", repo.id()).put("sha", repo.commit());
    ArrayNode siblings = json.putArray("siblings");
    repo.files()
        .forEach(
            (name, bytes) -> {
              ObjectNode s = siblings.addObject().put("rfilename", name).put("size", bytes.length);
              if (repo.lfs().contains(name)) {
                s.put("blobId", gitOid(pointer(bytes)));
                s.putObject("lfs")
                    .put("sha256", sha256(bytes))
                    .put("size", bytes.length)
                    .put("pointerSize", pointer(bytes).length);
              } else {
                s.put("blobId", gitOid(bytes));
              }
            });
    send(ex, 200, Map.of("Content-Type", "application/json"), Json.PLAIN.writeValueAsBytes(json));
  }

  /** {@code ORG/NAME/resolve/REV/PATH}. */
  private void resolve(HttpExchange ex, String rest) throws IOException {
    int at = rest.indexOf("/resolve/");
    Repo repo = at < 0 ? null : repos.get(rest.substring(0, at));
    if (repo == null) {
      send(ex, 404, Map.of("X-Error-Code", "RepoNotFound"), new byte[0]);
      return;
    }
    if (repo.token() != null) {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.equals("Bearer " + repo.token())) {
        send(ex, auth == null ? 401 : 403, Map.of("X-Error-Code", "GatedRepo"), new byte[0]);
        return;
      }
    }
    String revAndPath = rest.substring(at + "/resolve/".length());
    String rev = revAndPath.substring(0, revAndPath.indexOf('/'));
    String file = revAndPath.substring(rev.length() + 1);
    byte[] bytes = repo.files().get(file);
    if (bytes == null || (!rev.equals("main") && !rev.equals(repo.commit()))) {
      send(ex, 404, Map.of("X-Error-Code", "EntryNotFound"), new byte[0]);
      return;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Repo-Commit", repo.commit());
    if (repo.lfs().contains(file)) {
      headers.put("ETag", '"' + gitOid(pointer(bytes)) + '"');
      headers.put("X-Linked-Etag", '"' + sha256(bytes) + '"');
      headers.put("X-Linked-Size", String.valueOf(bytes.length));
      headers.put("Location", url() + "/cdn/" + repo.id() + "/" + sha256(bytes));
      send(ex, 302, headers, new byte[0]);
    } else if (file.startsWith("tokenizer")) {
      headers.put("ETag", '"' + gitOid(bytes) + '"');
      headers.put(
          "Location", "/api/resolve-cache/models/" + repo.id() + "/" + repo.commit() + "/" + file);
      send(ex, 307, headers, new byte[0]);
    } else {
      headers.put("ETag", '"' + gitOid(bytes) + '"');
      send(ex, 200, headers, bytes);
    }
  }

  /** {@code ORG/NAME/COMMIT/PATH}: a git file, as the hub's resolve cache serves it. */
  private void resolveCache(HttpExchange ex, String rest) throws IOException {
    for (Repo repo : repos.values()) {
      String prefix = repo.id() + "/" + repo.commit() + "/";
      if (rest.startsWith(prefix) && repo.files().containsKey(rest.substring(prefix.length()))) {
        byte[] bytes = repo.files().get(rest.substring(prefix.length()));
        send(
            ex,
            200,
            Map.of("ETag", '"' + gitOid(bytes) + '"', "X-Repo-Commit", repo.commit()),
            bytes);
        return;
      }
    }
    send(ex, 404, Map.of(), new byte[0]);
  }

  /** {@code ORG/NAME/SHA256}: an LFS object, as a CDN serves it (no hub headers). */
  private void cdn(HttpExchange ex, String rest) throws IOException {
    Repo repo = repos.get(rest.substring(0, Math.max(0, rest.lastIndexOf('/'))));
    String sha = rest.substring(rest.lastIndexOf('/') + 1);
    if (repo != null) {
      for (String name : repo.lfs()) {
        byte[] bytes = repo.files().get(name);
        if (sha256(bytes).equals(sha)) {
          byte[] body = bytes.clone();
          if (repo.fault() == Fault.WRONG_SHA256) {
            body[body.length / 2] ^= 1;
          }
          Map<String, String> headers = Map.of("ETag", "\"cdn-" + sha.substring(0, 8) + '"');
          if (repo.fault() == Fault.CUT) {
            headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.sendResponseHeaders(200, body.length);
            OutputStream out = ex.getResponseBody();
            out.write(body, 0, body.length / 2);
            out.flush();
            return; // closing the exchange short of its length drops the connection
          }
          send(ex, 200, headers, body);
          return;
        }
      }
    }
    send(ex, 404, Map.of(), new byte[0]);
  }

  /** The git LFS pointer file a repository keeps in git for an LFS object. */
  private static byte[] pointer(byte[] bytes) {
    return ("version https://git-lfs.github.com/spec/v1\noid sha256:"
            + sha256(bytes)
            + "\nsize "
            + bytes.length
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange ex, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
