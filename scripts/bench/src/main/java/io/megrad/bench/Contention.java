package io.megrad.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * How much of the machine other processes used while this JVM was being timed: the machine's busy
 * CPU time (from /proc/stat) minus this process's own (JIT and GC threads included), as a share of
 * all cores over the wall time. The benchmark machine may be shared; the document reports this
 * per measurement instead of pretending it was idle.
 */
final class Contention {
    private static final long TICK_NANOS = 1_000_000_000L / Long.getLong("megrad.bench.clkTck",
            Long.parseLong(System.getenv().getOrDefault("MEGRAD_BENCH_CLK_TCK", "100")));

    private long wall0;
    private long busy0;
    private long own0;

    void start() {
        wall0 = System.nanoTime();
        busy0 = machineBusyNanos();
        own0 = ownCpuNanos();
    }

    /** Share of the machine used by others since {@link #start()}, or NaN when unknown. */
    double otherShare() {
        long wall = System.nanoTime() - wall0;
        long busy = machineBusyNanos() - busy0;
        long own = ownCpuNanos() - own0;
        if (busy0 < 0 || own0 < 0 || wall <= 0) {
            return Double.NaN;
        }
        return Math.max(0.0, (double) (busy - own) / ((double) wall * Runtime.getRuntime().availableProcessors()));
    }

    /** Appends "process variant share" to {@code $MEGRAD_BENCH_WORK/contention.txt}. */
    static void record(String process, String variant, double share) {
        String work = System.getenv("MEGRAD_BENCH_WORK");
        if (work == null) {
            return;
        }
        try {
            Files.writeString(Path.of(work, "contention.txt"),
                    String.format(Locale.ROOT, "%s %s %.4f%n", process, variant, share),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // Diagnostics only.
        }
    }

    private static long machineBusyNanos() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long ticks = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                            + Long.parseLong(f[6]) + Long.parseLong(f[7]);
                    return ticks * TICK_NANOS;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or unreadable: unknown.
        }
        return -1;
    }

    private static long ownCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
