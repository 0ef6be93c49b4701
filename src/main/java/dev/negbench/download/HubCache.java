package dev.negbench.download;

import dev.negbench.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One repository's folder in the Hugging Face hub cache, laid out as huggingface_hub lays it
 * ({@code file_download.py}: {@code repo_folder_name}, {@code hf_hub_download}, {@code
 * _create_symlink}, {@code _cache_commit_hash_for_specific_revision}):
 *
 * <pre>
 * models--ORG--NAME/
 *   blobs/ETAG                      the bytes, named by the SHA-256 of an LFS file, else its git id
 *   snapshots/COMMIT/PATH           a relative link to ../../blobs/ETAG (one ../ more per folder)
 *   refs/REVISION                   the commit REVISION names, without a newline
 * </pre>
 *
 * A file is downloaded to {@code blobs/ETAG.incomplete} first, as the hub does.
 */
final class HubCache {
  private final Path root;

  HubCache(Path cache, String repo) {
    this.root = cache.resolve("models--" + repo.replace("/", "--"));
  }

  Path root() {
    return root;
  }

  Path blob(String name) {
    return root.resolve("blobs").resolve(name);
  }

  Path incomplete(String name) {
    return root.resolve("blobs").resolve(name + ".incomplete");
  }

  Path snapshot(String commit) {
    return root.resolve("snapshots").resolve(commit);
  }

  /** Where a repository path appears in a snapshot: its {@code /}-separated parts as folders. */
  Path pointer(String commit, String path) {
    Path p = snapshot(commit);
    for (String part : path.split("/")) {
      p = p.resolve(part);
    }
    return p;
  }

  /** Whether the snapshot already holds the file: a link that leads to a file. */
  boolean has(String commit, String path) {
    return Files.isRegularFile(pointer(commit, path));
  }

  boolean hasBlob(String name) {
    return name != null && Files.isRegularFile(blob(name));
  }

  /**
   * Links {@code snapshots/COMMIT/PATH} to the blob by a relative path, replacing what was there;
   * on a file system without links the blob is copied instead (the hub does the same).
   */
  void link(String commit, String path, String blobName) {
    Path pointer = pointer(commit, path);
    Path blob = blob(blobName);
    try {
      Files.createDirectories(pointer.getParent());
      Files.deleteIfExists(pointer);
      try {
        Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
      } catch (UnsupportedOperationException | FileSystemException e) {
        Files.copy(blob, pointer);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot link " + pointer + " to " + blob, e);
    }
  }

  /**
   * Writes {@code refs/REVISION} = commit, atomically, when it says otherwise; nothing when the
   * revision is the commit itself (the hub keeps no ref for a commit hash).
   */
  void writeRef(String revision, String commit) {
    Path ref = root.resolve("refs").resolve(revision);
    try {
      if (revision.equals(commit)
          || (Files.isRegularFile(ref) && Files.readString(ref).equals(commit))) {
        return;
      }
    } catch (IOException e) {
      // unreadable: written anew below
    }
    AtomicFiles.writeString(ref, commit);
  }
}
