package io.megrad.codegen.port;

import io.megrad.codegen.JavaPort;
import io.megrad.codegen.SyntheticOutput;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.InputException;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.UsageException;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A library written for the synthetic output runs with nothing but the JDK and its jar, and
 * prints what megrad's own evaluator computes, in forward and in reverse mode.
 */
class JavaLibraryPortTest {
    private static final ParamKey MT = ParamKey.parse("MASS:6");
    private static final ParamKey AEWM1 = ParamKey.parse("SMINPUTS:1");

    @TempDir
    static Path shared;
    private static MadGraphOutput output;
    private static JavaPort port;
    private static List<Seed> seeds;
    private static JavaLibrary.Written forward;

    @BeforeAll
    static void writeForwardLibrary() throws IOException {
        output = MadGraphOutput.open(SyntheticOutput.write(shared.resolve("out")));
        port = JavaPort.translate(output, null);
        seeds = new ArrayList<>();
        for (int particle = 3; particle <= 4; particle++) {
            for (int mu = 0; mu < 4; mu++) {
                seeds.add(new Seed.Momentum(particle, mu));
            }
        }
        seeds.add(new Seed.Parameter(MT));
        seeds.add(new Seed.Parameter(AEWM1));
        forward = JavaLibrary.write(output, port, output.paramCard(), shared.resolve("forward"),
                new JavaLibrary.Options(null, JavaPort.Mode.FORWARD, seeds));
    }

    private static ProcessEvaluator megrad(ParamCard card, JavaPort.Mode mode) {
        return port.evaluator(card, seeds, shared.resolve("cache"), mode);
    }

    private static ParamCard card() {
        return ParamCard.read(output.paramCard());
    }

    /** The printed point evaluated again by megrad: |M|² and every derivative within 1e-12. */
    private static void assertPrintedAsMegradComputes(JdkOnly.PrintedPoint printed, ProcessEvaluator ev) {
        double[] grad = new double[seeds.size()];
        double me = ev.evaluate(printed.momenta(), grad);
        assertEquals(me, printed.me(), 1e-12 * Math.abs(me), "|M|^2");
        List<String> names = seeds.stream().map(JavaLibrary::name).toList();
        assertEquals(names, List.copyOf(printed.gradient().keySet()));
        double scale = 0;
        for (double g : grad) {
            scale = Math.max(scale, Math.abs(g));
        }
        for (int k = 0; k < grad.length; k++) {
            assertEquals(grad[k], printed.gradient().get(names.get(k)), 1e-12 * scale, names.get(k));
        }
    }

    @Test
    void jarRunsWithOnlyTheJdkAndPrintsWhatMegradComputes() throws Exception {
        JdkOnly.Result run = JdkOnly.java(shared, "-jar", forward.jar().toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("forward mode"), run.out());
        List<JdkOnly.PrintedPoint> points = JdkOnly.points(run.out());
        assertEquals(1, points.size(), run.out());
        assertPrintedAsMegradComputes(points.get(0), megrad(card(), JavaPort.Mode.FORWARD));
    }

    @Test
    void jarHoldsOnlyTheLibraryAndTheMegradRuntime() throws IOException {
        try (JarFile jar = new JarFile(forward.jar().toFile())) {
            assertEquals(forward.packageName() + ".Example", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            String pkg = forward.packageName().replace('.', '/') + "/";
            List<String> foreign = jar.stream().map(e -> e.getName())
                    .filter(n -> n.endsWith(".class") && !n.startsWith(pkg) && !n.startsWith("io/megrad/runtime/")).toList();
            assertEquals(List.of(), foreign);
            assertTrue(jar.getEntry(pkg + "param_card.dat") != null);
        }
        Path dir = forward.directory();
        for (String f : List.of("README.md", "param_card.dat", "doc/index.html", "src/megrad/generated/p1_test/MatrixElement.java",
                "src/megrad/generated/p1_test/internal/Port.java")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertTrue(Files.isRegularFile(dir.resolve("doc/megrad/generated/p1_test/MatrixElement.html")));
        assertFalse(Files.exists(dir.resolve(".build")));
    }

    @Test
    void reverseModeLibraryAgreesWithForwardMode(@TempDir Path dir) throws Exception {
        JavaLibrary.Written reverse = JavaLibrary.write(output, port, output.paramCard(), dir.resolve("lib"),
                new JavaLibrary.Options("org.example.reverse", JavaPort.Mode.REVERSE, seeds));
        JdkOnly.Result run = JdkOnly.java(dir, "-jar", reverse.jar().toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("reverse mode"), run.out());
        assertPrintedAsMegradComputes(JdkOnly.points(run.out()).get(0), megrad(card(), JavaPort.Mode.FORWARD));
    }

    @Test
    void userProgramCompiledAgainstTheJarSetsAParameterAndEvaluates(@TempDir Path dir) throws Exception {
        String pkg = forward.packageName();
        Files.writeString(dir.resolve("User.java"), String.join("\n",
                "import " + pkg + ".Evaluation;",
                "import " + pkg + ".MatrixElement;",
                "public class User {",
                "    public static void main(String[] args) {",
                "        MatrixElement m = MatrixElement.withDefaultCard();",
                "        double[][] p = {{500, 0, 0, 500}, {500, 0, 0, -500}, {480, 110, -220, 310}, {520, -110, 220, -310}};",
                "        double before = m.matrixElement(p);",
                "        m.set(\"MASS:6\", 180.0);",
                "        Evaluation e = m.evaluate(p);",
                "        System.out.println(before + \" \" + e.me() + \" \" + e.derivative(\"MASS:6\") + \" \" + m.get(\"mass:6\"));",
                "    }",
                "}", ""));
        String jar = forward.jar().toString();
        JdkOnly.Result compiled = JdkOnly.javac(dir, "-cp", jar, "-d", ".", "User.java");
        assertEquals(0, compiled.exitCode(), compiled.toString());
        JdkOnly.Result run = JdkOnly.java(dir, "-cp", jar + File.pathSeparator + ".", "User");
        assertEquals(0, run.exitCode(), run.toString());
        String[] v = run.out().strip().split(" ");

        double[][] p = {{500, 0, 0, 500}, {500, 0, 0, -500}, {480, 110, -220, 310}, {520, -110, 220, -310}};
        double[] grad = new double[seeds.size()];
        double before = megrad(card(), JavaPort.Mode.FORWARD).evaluate(p, grad);
        double after = megrad(card().with(MT, 180.0), JavaPort.Mode.FORWARD).evaluate(p, grad);
        assertEquals(before, Double.parseDouble(v[0]), 1e-12 * Math.abs(before));
        assertEquals(after, Double.parseDouble(v[1]), 1e-12 * Math.abs(after));
        assertTrue(Math.abs(after - before) > 1e-6 * Math.abs(before), "changing MASS:6 changes |M|^2");
        double dMt = grad[seeds.indexOf(new Seed.Parameter(MT))];
        assertEquals(dMt, Double.parseDouble(v[2]), 1e-12 * Math.abs(dMt));
        assertEquals(180.0, Double.parseDouble(v[3]));
    }

    @Test
    void exampleEvaluatesThePointsOfAFileAndReportsABadOneInOneLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("points.csv"), String.join("\n",
                "# two points",
                "E1,x1,y1,z1,E2,x2,y2,z2,E3,x3,y3,z3,E4,x4,y4,z4",
                "500,0,0,500, 500,0,0,-500, 480,110,-220,310, 520,-110,220,-310",
                "500 0 0 500 10 3 0 50 480 110 -220 310 30 -110 220 -310", ""));
        JdkOnly.Result run = JdkOnly.java(dir, "-jar", forward.jar().toString(), "--set", "SMINPUTS:1=130", "points.csv");
        assertEquals(0, run.exitCode(), run.toString());
        List<JdkOnly.PrintedPoint> points = JdkOnly.points(run.out());
        assertEquals(2, points.size(), run.out());
        ProcessEvaluator ev = megrad(card().with(AEWM1, 130), JavaPort.Mode.FORWARD);
        for (JdkOnly.PrintedPoint point : points) {
            assertPrintedAsMegradComputes(point, ev);
        }

        Files.writeString(dir.resolve("bad.csv"), "# one point\n500,0,0,500, 500,0,0,-500\n");
        JdkOnly.Result bad = JdkOnly.java(dir, "-jar", forward.jar().toString(), "bad.csv");
        assertEquals(3, bad.exitCode(), bad.toString());
        assertEquals("error: bad.csv:2: expected 16 numbers, found 8", bad.err().strip());
    }

    @Test
    void rewritingReplacesAnEarlierLibraryAndLeavesNothingBesideIt(@TempDir Path dir) throws IOException {
        Path lib = dir.resolve("lib");
        JavaLibrary.write(output, port, output.paramCard(), lib, new JavaLibrary.Options("org.example.first", JavaPort.Mode.FORWARD, List.of()));
        JavaLibrary.Written second = JavaLibrary.write(output, port, output.paramCard(), lib,
                new JavaLibrary.Options("org.example.second", JavaPort.Mode.FORWARD, List.of()));
        try (JarFile jar = new JarFile(second.jar().toFile())) {
            assertTrue(jar.getEntry("org/example/second/MatrixElement.class") != null);
            assertTrue(jar.getEntry("org/example/first/MatrixElement.class") == null);
        }
        assertFalse(Files.exists(lib.resolve("src/org/example/first")));
        try (Stream<Path> beside = Files.list(dir)) {
            assertEquals(List.of(lib), beside.toList());
        }
    }

    @Test
    void refusesToReplaceADirectoryItDidNotWrite(@TempDir Path dir) throws IOException {
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        UsageException e = assertThrows(UsageException.class, () -> JavaLibrary.write(output, port, output.paramCard(), mine,
                new JavaLibrary.Options(null, JavaPort.Mode.FORWARD, List.of())));
        assertTrue(e.getMessage().contains("not written by megrad port"), e.getMessage());
        assertEquals("keep me", Files.readString(mine.resolve("notes.txt")));
        try (Stream<Path> beside = Files.list(dir)) {
            assertEquals(List.of(mine), beside.toList());
        }
    }

    @Test
    void badPackageOrUnknownEntryIsAOneLineErrorAndWritesNothing(@TempDir Path dir) {
        Path lib = dir.resolve("lib");
        UsageException pkg = assertThrows(UsageException.class, () -> JavaLibrary.write(output, port, output.paramCard(), lib,
                new JavaLibrary.Options("org.1bad", JavaPort.Mode.FORWARD, seeds)));
        assertEquals("bad --package 'org.1bad': expected a Java package name such as org.example.ee_mumu", pkg.getMessage());
        InputException entry = assertThrows(InputException.class, () -> JavaLibrary.write(output, port, output.paramCard(), lib,
                new JavaLibrary.Options(null, JavaPort.Mode.FORWARD, List.of(new Seed.Parameter(ParamKey.parse("MASS:25"))))));
        assertTrue(entry.getMessage().endsWith("no entry MASS:25 in the param card"), entry.getMessage());
        assertThrows(UsageException.class, () -> JavaLibrary.write(output, port, output.paramCard(), lib,
                new JavaLibrary.Options(null, JavaPort.Mode.FORWARD, List.of(new Seed.Momentum(5, 0)))));
        assertFalse(Files.exists(lib));
    }

    @Test
    void defaultPackageIsAValidNameFromTheSubprocess() {
        assertEquals("megrad.generated.p1_epem_mupmum", JavaLibrary.defaultPackage("P1_epem_mupmum"));
        assertEquals("megrad.generated._1x_y", JavaLibrary.defaultPackage("1x-y"));
    }
}
