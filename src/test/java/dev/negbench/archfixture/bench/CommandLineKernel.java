package dev.negbench.archfixture.bench;

import dev.negbench.archfixture.cli.Command;

/** Breaks the layering on purpose, for {@code ArchitectureTest}: a benchmark that calls the CLI. */
public final class CommandLineKernel {
  public static int measure() {
    return Command.call();
  }
}
