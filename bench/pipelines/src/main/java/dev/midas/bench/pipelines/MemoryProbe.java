package dev.midas.bench.pipelines;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.NotificationEmitter;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * The main of a benchmark's child JVM: runs a pipeline's main under a memory probe, to tell the
 * data a run holds from the memory its JVM merely takes up. Every {@code everySec} seconds the
 * probe asks for a full collection ({@code System.gc()}, a stop-the-world compaction in G1) and
 * records, right after it:
 *
 * <ul>
 *   <li>live heap: every heap pool's usage after that full collection, i.e. the objects still
 *       reachable (the peak over the run is what the pipeline holds at most, sampled);
 *   <li>resident memory (VmRSS) and how much of it is the Java heap (the resident pages of the
 *       heap's address range in {@code /proc/self/smaps}): with {@code -Xms = -Xmx} the heap is
 *       committed up front, and its resident part is what the collector has touched so far;
 *   <li>the JVM's own memory outside the heap, as Native Memory Tracking reports it committed
 *       (metaspace, threads, code, GC structures, and "Other": direct buffers and Unsafe memory,
 *       where Flink's network and managed memory live), when the JVM runs with {@code
 *       -XX:NativeMemoryTracking=summary}. What RSS holds beyond heap and that is native memory the
 *       JVM does not track (the Rust tokenizer, zlib, the C library's allocator).
 * </ul>
 *
 * <p>Samples go to {@code <out>.csv}; the live heap's peak, the parts of the sample with the most
 * resident memory and the forced collections' total pause to {@code <out>.properties}, counting
 * only samples taken while the pipeline ran. Usage: {@code MemoryProbe <out> <everySec> <main
 * class> <args...>}.
 */
public final class MemoryProbe {
  private static final Pattern HEAP_RANGE = Pattern.compile("\\[0x([0-9a-f]+), 0x([0-9a-f]+)\\)");
  private static final Pattern NMT_TOTAL =
      Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");
  private static final Pattern NMT_HEAP =
      Pattern.compile("Java Heap \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
  private static final Pattern NMT_OTHER =
      Pattern.compile("-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

  private final Path out;
  private final long start = System.nanoTime();
  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());
  private final PrintWriter csv;
  private final long[] heapRange;
  private volatile boolean running = true;
  private long samples;
  private long liveMax;
  private double liveMaxAt;
  private long forcedPauseMs;

  /** The sample with the most resident memory while the pipeline ran, and its parts. */
  private long[] atPeak = new long[4];

  private MemoryProbe(Path out) throws IOException {
    this.out = out;
    this.csv = new PrintWriter(Files.newBufferedWriter(Path.of(out + ".csv")), true);
    csv.println(
        "phase,seconds,live_heap_mb,rss_mb,heap_resident_mb,jvm_non_heap_mb,nmt_other_mb,untracked_mb");
    this.heapRange = heapRange(diagnostic("gcHeapInfo"));
  }

  public static void main(String[] args) throws Exception {
    MemoryProbe probe = new MemoryProbe(Path.of(args[0]));
    long everyMs = (long) (Double.parseDouble(args[1]) * 1000);
    Class<?> main = Class.forName(args[2]);
    String[] rest = Arrays.copyOfRange(args, 3, args.length);
    probe.listen();
    Thread sampler =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(everyMs);
                  fullCollection(); // the listener records the sample when it ends
                }
              } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
              }
            },
            "memory-probe");
    sampler.setDaemon(true);
    sampler.start();
    main.getMethod("main", String[].class).invoke(null, (Object) rest);
    sampler.interrupt();
    probe.running = false;
    fullCollection(); // one more sample at the end
    Thread.sleep(500); // notifications are delivered on their own thread
    probe.finish();
  }

  /**
   * Asks for a full collection until one happens: the JVM skips {@code System.gc()} while native
   * code holds a JNI critical section (the log says "GCLocker Initiated GC").
   */
  private static void fullCollection() throws InterruptedException {
    long before = fullCollections();
    for (int i = 0; i < 20; i++) {
      System.gc();
      if (fullCollections() > before) {
        return;
      }
      Thread.sleep(250);
    }
  }

  private static long fullCollections() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!gc.getName().contains("Young")) {
        n += gc.getCollectionCount();
      }
    }
    return n;
  }

  private void listen() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (n, handback) -> {
                if (!n.getType()
                    .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                  return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                if (info.getGcCause().equals("System.gc()")) {
                  long live = 0;
                  for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(e.getKey())) {
                      live += e.getValue().getUsed();
                    }
                  }
                  sample(live, info.getGcInfo().getDuration());
                }
              },
              null,
              null);
    }
  }

  private synchronized void sample(long live, long pauseMs) {
    double seconds = (System.nanoTime() - start) / 1e9;
    long rss = statusKb("VmRSS") << 10;
    long heapResident = heapResident();
    long jvmNonHeap = -1;
    long other = -1;
    String nmt = diagnostic("vmNativeMemory", "summary");
    Matcher total = NMT_TOTAL.matcher(nmt);
    Matcher heap = NMT_HEAP.matcher(nmt);
    Matcher otherMatch = NMT_OTHER.matcher(nmt);
    if (total.find() && heap.find()) {
      jvmNonHeap = (Long.parseLong(total.group(1)) - Long.parseLong(heap.group(1))) << 10;
    }
    if (otherMatch.find()) {
      other = Long.parseLong(otherMatch.group(1)) << 10;
    }
    // RSS beyond the heap's resident pages and the JVM's own committed memory: native memory the
    // JVM does not track, or memory freed to the C library's allocator and kept by it
    // (approximate: committed thread stacks and code are not all resident).
    long untracked = jvmNonHeap < 0 ? -1 : rss - heapResident - jvmNonHeap;
    if (running) { // the last sample, after the pipeline ended, only shows what it left behind
      samples++;
      forcedPauseMs += pauseMs;
      if (live > liveMax) {
        liveMax = live;
        liveMaxAt = seconds;
      }
      if (rss > atPeak[0]) {
        atPeak = new long[] {rss, heapResident, jvmNonHeap, untracked};
      }
    }
    csv.printf(
        Locale.ROOT,
        "%s,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f%n",
        running ? "run" : "end",
        seconds,
        live / 1e6,
        rss / 1e6,
        heapResident / 1e6,
        jvmNonHeap / 1e6,
        other / 1e6,
        untracked / 1e6);
  }

  private synchronized void finish() throws IOException {
    csv.close();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    Properties p = new Properties();
    p.setProperty("samples", Long.toString(samples));
    p.setProperty("liveHeapMaxBytes", Long.toString(liveMax));
    p.setProperty("liveHeapMaxAtSeconds", String.format(Locale.ROOT, "%.1f", liveMaxAt));
    p.setProperty("peakRssBytes", Long.toString(statusKb("VmHWM") << 10));
    p.setProperty("sampledPeakRssBytes", Long.toString(atPeak[0]));
    p.setProperty("heapResidentAtPeakBytes", Long.toString(atPeak[1]));
    p.setProperty("jvmNonHeapAtPeakBytes", Long.toString(atPeak[2]));
    p.setProperty("untrackedAtPeakBytes", Long.toString(atPeak[3]));
    p.setProperty("heapCommittedBytes", Long.toString(heap.getCommitted()));
    p.setProperty("forcedGcPauseMs", Long.toString(forcedPauseMs));
    long gcMs = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcMs += gc.getCollectionTime();
    }
    p.setProperty("allGcMs", Long.toString(gcMs));
    threadCpu(p);
    try (var w = Files.newBufferedWriter(Path.of(out + ".properties"))) {
      p.store(w, "memory probe");
    }
    System.out.println(diagnostic("vmNativeMemory", "summary"));
  }

  /**
   * CPU seconds by kind of thread: the collector's ({@code cpuGcSeconds}), the JIT compilers'
   * ({@code cpuJitSeconds}) and the whole process ({@code cpuTotalSeconds}, threads that ended
   * included). Run the JVM with {@code -XX:-UseDynamicNumberOfCompilerThreads}, or compiler threads
   * that ended take their time with them.
   */
  private static void threadCpu(Properties p) throws IOException {
    double gc = 0;
    double jit = 0;
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException ended) {
          continue;
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        double cpu = cpuSeconds(stat);
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
          gc += cpu;
        } else if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
          jit += cpu;
        }
      }
    }
    p.setProperty("cpuGcSeconds", String.format(Locale.ROOT, "%.1f", gc));
    p.setProperty("cpuJitSeconds", String.format(Locale.ROOT, "%.1f", jit));
    p.setProperty(
        "cpuTotalSeconds",
        String.format(
            Locale.ROOT, "%.1f", cpuSeconds(Files.readString(Path.of("/proc/self/stat")))));
  }

  /** User + system seconds from a {@code /proc/.../stat} line (clock ticks of 1/100 s). */
  private static double cpuSeconds(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }

  /** Resident bytes of the mappings inside the heap's address range. */
  private long heapResident() {
    if (heapRange == null) {
      return -1;
    }
    long resident = 0;
    boolean inHeap = false;
    try {
      List<String> smaps = Files.readAllLines(Path.of("/proc/self/smaps"));
      for (String line : smaps) {
        int dash = line.indexOf('-');
        int space = line.indexOf(' ');
        if (dash > 0 && space > dash && isHex(line.substring(0, dash))) {
          long from = Long.parseUnsignedLong(line.substring(0, dash), 16);
          long to = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
          inHeap = from >= heapRange[0] && to <= heapRange[1];
        } else if (inHeap && line.startsWith("Rss:")) {
          resident += Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return resident;
  }

  private static boolean isHex(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  private static long[] heapRange(String heapInfo) {
    Matcher m = HEAP_RANGE.matcher(heapInfo);
    return m.find()
        ? new long[] {
          Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16)
        }
        : null;
  }

  private static long statusKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // not Linux: no figure
    }
    return -1;
  }

  private static String diagnostic(String command, String... args) {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      Object result =
          server.invoke(
              new ObjectName("com.sun.management:type=DiagnosticCommand"),
              command,
              new Object[] {args},
              new String[] {String[].class.getName()});
      return String.valueOf(result);
    } catch (Exception e) {
      return "";
    }
  }
}
