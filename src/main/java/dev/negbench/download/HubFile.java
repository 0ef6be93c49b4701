package dev.negbench.download;

/**
 * One file of a Hugging Face repository at a commit, as the hub's API lists it ({@code GET
 * /api/models/REPO/revision/REV?blobs=true}, one {@code siblings} entry; huggingface_hub's {@code
 * RepoSibling} in {@code hf_api.py}).
 *
 * @param path the file's path in the repository, {@code /}-separated ({@code rfilename})
 * @param size its size in bytes, -1 when the hub did not say
 * @param gitOid its git blob id ({@code blobId}), null when not listed
 * @param sha256 the SHA-256 of a large (LFS) file ({@code lfs.sha256}), null for a file kept in git
 */
public record HubFile(String path, long size, String gitOid, String sha256) {
  /** Whether the file is kept in Git LFS: verified by its SHA-256, which also names its blob. */
  public boolean lfs() {
    return sha256 != null;
  }

  /**
   * The name its blob has in the cache, as far as the listing tells: the SHA-256 of an LFS file,
   * else the git blob id (the ETag the hub sends for it); null when neither is listed.
   */
  String blobName() {
    return sha256 != null ? sha256 : gitOid;
  }
}
