package dev.negbench.archfixture.cli;

/** A stand-in command for {@code ArchitectureTest}: no benchmark fixture may use it. */
public final class Command {
  public static int call() {
    return 1;
  }
}
