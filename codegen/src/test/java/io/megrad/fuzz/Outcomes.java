package io.megrad.fuzz;

import io.megrad.runtime.InputException;
import io.megrad.runtime.UnsupportedConstructException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The contract every reader is fuzzed against: on any input it returns a result, or throws
 * {@link InputException} / {@link UnsupportedConstructException} whose message says where
 * ({@code file:line}, or a point/event index), within a time limit. Anything else (NPE,
 * IndexOutOfBounds, NumberFormatException, StackOverflowError, a hang) fails with the input.
 * Failing inputs are also saved under {@code target/fuzz-findings/} to become regression seeds.
 *
 * <pre>{@code
 * ParamCard card = Outcomes.check("slha", input, () -> ParamCard.parse(input.text(), "fuzz.dat"));
 * // null when the reader rejected the input properly
 * }</pre>
 */
public final class Outcomes {
    /** Per call; {@code -Dmegrad.fuzz.timeout=SECONDS} changes it. */
    public static final long TIMEOUT_SECONDS = Long.getLong("megrad.fuzz.timeout", 10);

    /** {@code name:12:}, {@code name:12 }, or a point/event index. */
    private static final Pattern POSITIONED = Pattern.compile("\\S:\\d+(:|\\s|$)|point index \\d+|event index \\d+");

    /** Per reader: calls, results, rejections; written to target/fuzz-findings/stats.txt at exit. */
    private static final Map<String, long[]> COUNTS = new ConcurrentSkipListMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Outcomes::writeStats));
    }

    private Outcomes() {
    }

    /**
     * Runs {@code reader}; returns its result, or null when it threw a positioned
     * {@link InputException} or {@link UnsupportedConstructException}.
     *
     * @param reader names the reader in failure messages and in the saved file's name
     * @param input  what was read, shown on failure
     */
    public static <T> T check(String reader, Object input, Callable<T> call) {
        return check(reader, input, call, message -> false);
    }

    /**
     * As {@link #check(String, Object, Callable)}, also accepting errors about a whole file, which
     * have no line to name ({@code matrix.f: no routine SMATRIX}), when {@code fileLevel} matches
     * their message.
     */
    public static <T> T check(String reader, Object input, Callable<T> call, Predicate<String> fileLevel) {
        return check(reader, input, call, fileLevel, t -> false);
    }

    /**
     * As {@link #check(String, Object, Callable, Predicate)}, also counting (not failing) errors of a
     * known, reported bug that {@code knownBug} recognises, so that a property keeps looking for new
     * ones while the fix is pending. Returns null for them too.
     */
    public static <T> T check(String reader, Object input, Callable<T> call, Predicate<String> fileLevel,
            Predicate<Throwable> knownBug) {
        FutureTask<T> task = new FutureTask<>(call);
        Thread worker = new Thread(null, task, "fuzz-" + reader, 0);
        worker.setDaemon(true); // a reader stuck in a loop must not keep the test JVM alive
        worker.start();
        long[] counts = COUNTS.computeIfAbsent(reader, r -> new long[3]);
        synchronized (counts) {
            counts[0]++;
        }
        try {
            T result = task.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            synchronized (counts) {
                counts[1]++;
            }
            return result;
        } catch (TimeoutException e) {
            String where = Arrays.stream(worker.getStackTrace()).limit(12).map(s -> "\n    at " + s).collect(Collectors.joining());
            where = where.isEmpty() ? " (not known: the thread " + (worker.isAlive() ? "gave no stack" : "has ended") + ")" : where;
            worker.interrupt();
            throw failure(reader, input, "no result within " + TIMEOUT_SECONDS + " s (endless loop?); the reader was at:" + where, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof InputException || t instanceof UnsupportedConstructException) {
                if (!positioned(t.getMessage()) && !fileLevel.test(t.getMessage())) {
                    throw failure(reader, input, "error without a file:line or point index: " + t.getMessage(), t);
                }
                synchronized (counts) {
                    counts[2]++;
                }
                return null;
            }
            if (knownBug.test(t)) {
                COUNTS.computeIfAbsent(reader + " (known bug)", r -> new long[3])[0]++;
                return null;
            }
            throw failure(reader, input, "not an InputException or UnsupportedConstructException: " + t, t);
        }
    }

    /** Whether {@code message} names a place: {@code file:line} or a point/event index. */
    public static boolean positioned(String message) {
        return message != null && POSITIONED.matcher(message).find();
    }

    private static AssertionError failure(String reader, Object input, String what, Throwable cause) {
        String saved = save(reader, input);
        StringWriter trace = new StringWriter();
        if (cause != null) {
            cause.printStackTrace(new PrintWriter(trace));
        }
        String stack = trace.toString().lines().limit(15).collect(Collectors.joining("\n"));
        return new AssertionError(reader + ": " + what + "\n  input: " + input + (saved == null ? "" : "\n  saved as " + saved)
                + (stack.isEmpty() ? "" : "\n" + stack), cause);
    }

    private static void writeStats() {
        if (COUNTS.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder();
        COUNTS.forEach((reader, c) -> b.append(String.format("%-24s %8d runs %8d results %8d rejected%n", reader, c[0], c[1], c[2])));
        try {
            Path dir = Path.of("target", "fuzz-findings");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("stats.txt"), b.toString(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // Statistics only.
        }
    }

    private static String save(String reader, Object input) {
        String text = input instanceof Mutations.Input in ? in.text() : String.valueOf(input);
        try {
            Path dir = Path.of("target", "fuzz-findings");
            Files.createDirectories(dir);
            Path file = dir.resolve(reader + "-" + Integer.toHexString(text.hashCode()) + ".txt");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file.toAbsolutePath().toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
