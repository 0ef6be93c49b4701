package dev.negbench.download;

/**
 * A download the user must act on (exit 2): a repository or revision that does not exist, a gated
 * repository without access, or bytes that do not match what the hub reported. Nothing of the
 * download is left behind when it is thrown.
 */
public final class HubException extends IllegalArgumentException {
  HubException(String message) {
    super(message);
  }
}
