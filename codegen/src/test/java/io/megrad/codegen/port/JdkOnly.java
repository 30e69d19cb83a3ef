package io.megrad.codegen.port;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the JDK's own {@code java} and {@code javac} as separate processes, with nothing on the class
 * path but what the arguments name: what a user of a generated library has.
 */
public final class JdkOnly {
    private static final Pattern MOMENTUM = Pattern.compile("^\\s+p(\\d+) = (\\S+) (\\S+) (\\S+) (\\S+)$");
    private static final Pattern ME = Pattern.compile("^\\s+\\|M\\|\\^2 = (\\S+)$");
    private static final Pattern DERIVATIVE = Pattern.compile("^\\s+d\\|M\\|\\^2/d\\((\\S+)\\) = (\\S+)$");

    private JdkOnly() {
    }

    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** One point as the library's example prints it. */
    public record PrintedPoint(double[][] momenta, double me, Map<String, Double> gradient) {
    }

    public static Result java(Path workDir, String... args) throws IOException, InterruptedException {
        return run(workDir, "java", args);
    }

    public static Result javac(Path workDir, String... args) throws IOException, InterruptedException {
        return run(workDir, "javac", args);
    }

    private static Result run(Path workDir, String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        // Nothing from the test's environment may reach the class path or the JVM options.
        pb.environment().keySet().removeIf(k -> k.equals("CLASSPATH") || k.endsWith("JAVA_OPTIONS") || k.equals("JAVA_TOOL_OPTIONS"));
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(tool + " " + String.join(" ", args) + " did not finish in 300 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** The points, |M|² and derivatives in the example program's output, in order. */
    public static List<PrintedPoint> points(String out) {
        List<PrintedPoint> points = new ArrayList<>();
        List<double[]> momenta = new ArrayList<>();
        Double me = null;
        Map<String, Double> gradient = new LinkedHashMap<>();
        for (String line : (out + "point end:\n").lines().toList()) {
            if (line.startsWith("point ")) {
                if (me != null) {
                    points.add(new PrintedPoint(momenta.toArray(new double[0][]), me, gradient));
                }
                momenta = new ArrayList<>();
                me = null;
                gradient = new LinkedHashMap<>();
                continue;
            }
            Matcher m;
            if ((m = MOMENTUM.matcher(line)).matches()) {
                momenta.add(new double[]{Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                        Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))});
            } else if ((m = ME.matcher(line)).matches()) {
                me = Double.parseDouble(m.group(1));
            } else if ((m = DERIVATIVE.matcher(line)).matches()) {
                gradient.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return points;
    }
}
