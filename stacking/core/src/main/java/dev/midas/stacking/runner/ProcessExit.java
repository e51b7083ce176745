package dev.midas.stacking.runner;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.lang.management.ManagementFactory;

/**
 * Ends a stage process once its result is out. {@code System.exit} spends 0.2-0.3 s (measured on
 * the tiny demo model) in the native libraries' teardown, which every stage process would pay again
 * and nothing needs: by then the result line is flushed, every checkpoint and {@code result.json}
 * is written, and the store is closed. So the process ends with the C library's {@code _exit},
 * which skips it (0.05-0.1 s). A JVM asked to write something at exit (a class-data archive or the
 * list of classes one is made from, a flight recording) exits normally.
 */
final class ProcessExit {
  private ProcessExit() {}

  private interface CLibrary extends Library {
    void _exit(int status);
  }

  static void now(int code) {
    System.out.flush();
    System.err.flush();
    if (writesAtExit()) {
      System.exit(code);
    }
    try {
      Native.load("c", CLibrary.class)._exit(code);
    } catch (UnsatisfiedLinkError noCLibrary) {
      System.exit(code);
    }
  }

  private static boolean writesAtExit() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .anyMatch(
            a ->
                a.startsWith("-XX:ArchiveClassesAtExit")
                    || a.startsWith("-XX:DumpLoadedClassList")
                    || a.startsWith("-XX:StartFlightRecording")
                    || a.startsWith("-javaagent"));
  }
}
