package dev.negbench.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Turns an {@link OutOfMemoryError} in any thread into exit code 1 and a message that names the
 * heap setting, instead of a hang: when a thread the work depends on dies of it (the HTTP client's
 * selector thread, a worker), the JVM otherwise keeps running with nothing left to finish the work.
 * What a command cached so far stays where it is (appended line by line, or published whole), so
 * the same command rerun with a larger heap resumes from it.
 *
 * <p>Nothing may allocate once the heap is gone, and a handler that throws is dropped by the JVM
 * with one line on stderr. So the handler only raises a flag and wakes a watchdog thread started at
 * install; the watchdog writes the message, encoded at install, straight to the standard error's
 * file descriptor, and ends the process with {@link Runtime#halt} (shutdown hooks could need memory
 * or wait on a thread that died), retrying until both have gone through.
 */
final class OutOfMemoryExit implements Thread.UncaughtExceptionHandler {
  private static volatile boolean tripped;

  /** Passed through the handler at install, so that its every instruction is linked then. */
  private static final OutOfMemoryError PROBE = new OutOfMemoryError("probe at install");

  private final Thread.UncaughtExceptionHandler next;
  private final Thread watchdog;

  private OutOfMemoryExit(Thread.UncaughtExceptionHandler next, Thread watchdog) {
    this.next = next;
    this.watchdog = watchdog;
  }

  /** Installs the handler for every thread of this JVM. */
  static void install() {
    byte[] text =
        (message(Runtime.getRuntime().maxMemory()) + System.lineSeparator())
            .getBytes(StandardCharsets.UTF_8);
    OutputStream err = new FileOutputStream(FileDescriptor.err);
    Thread watchdog =
        Thread.ofPlatform()
            .name("negbench-out-of-memory")
            .daemon()
            .priority(Thread.MAX_PRIORITY)
            .start(() -> watch(err, text));
    OutOfMemoryExit handler =
        new OutOfMemoryExit(Thread.getDefaultUncaughtExceptionHandler(), watchdog);
    // Interpreting an instruction the first time may allocate (resolving the class of an
    // instanceof did, in the very thread that ran out): run them all now, while there is memory.
    handler.uncaughtException(Thread.currentThread(), PROBE);
    Thread.setDefaultUncaughtExceptionHandler(handler);
  }

  @Override
  public void uncaughtException(Thread t, Throwable e) {
    if (e instanceof OutOfMemoryError) {
      tripped = e != PROBE;
      LockSupport.unpark(watchdog);
      return;
    }
    if (next != null) {
      next.uncaughtException(t, e);
    } else {
      t.getThreadGroup().uncaughtException(t, e);
    }
  }

  private static void watch(OutputStream err, byte[] text) {
    while (!tripped) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
    boolean written = false;
    while (true) {
      try {
        if (!written) {
          err.write(text);
          err.flush();
          written = true;
        }
        Runtime.getRuntime().halt(1);
      } catch (Throwable again) { // another OutOfMemoryError or a closed stderr: try once more
        written = written || !(again instanceof OutOfMemoryError);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
    }
  }

  /** What the user reads: what ran out and the setting to change. */
  static String message(long maxHeapBytes) {
    long mib = maxHeapBytes >> 20;
    long suggestedGib = Math.max(1, Long.highestOneBit(Math.max(1, mib)) * 4 / 1024);
    return "negbench: out of memory: the Java heap, at most "
        + mib
        + " MiB now, is too small for this work. Rerun the same command with a larger heap, e.g."
        + " NEGBENCH_JAVA_OPTS=-Xmx"
        + suggestedGib
        + "g bin/negbench ... (java -Xmx"
        + suggestedGib
        + "g when you run the jar yourself). What was finished is kept (generate's"
        + " FILE.cache.jsonl, reproduce's stage cache) and the rerun resumes from it. Exit code 1.";
  }
}
