package io.megrad.codegen.fortran;

import io.megrad.codegen.ir.Program;
import io.megrad.fuzz.FuzzCorpus;
import io.megrad.fuzz.Mutations;
import io.megrad.fuzz.NeedsCorpus;
import io.megrad.fuzz.Outcomes;
import io.megrad.runtime.InputException;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing the Fortran frontend: the fixed-form reader, the unit splitter and the statement parser
 * on mutated corpus sources and random Fortran-like text, and the whole {@link FortranFrontend} on
 * copies of corpus outputs with one file mutated. Every input gives a result, or an
 * InputException / UnsupportedConstructException naming {@code file:line}, in bounded time.
 */
class FortranFuzzTest {
    static final List<String> WORDS = List.of("(", ")", "((", "))", "'", "\"", ",", "=", "*", "**", "/", "//", "&",
            ".", ":", "\t", "!", "\n", "\r\n", "\nC comment\n", "\n     $ ", "\n     &", "\n\t1", "\n12345 ", "\n     0",
            "INCLUDE 'coupl.inc'", "INCLUDE 'nexternal.inc'", "INCLUDE 'missing.inc'", "      INCLUDE 'fuzz_self.inc'\n",
            "      END\n", "END IF", "ENDIF", "END DO", "ENDDO", "ELSE", "ELSE IF (", "THEN", "DO 10 I=1,", "DO I=1,3",
            "10 CONTINUE", "GOTO 10", "IF (", ") THEN", ".AND.", ".NOT.", ".EQ.", ".TRUE.", "1D0", "1.0D+02", "(1D0,0D0)",
            "CALL ", "CALL FFV1_0(", "COMPLEX*16 ", "REAL*8 ", "DOUBLE PRECISION ", "INTEGER ", "LOGICAL ", "CHARACTER*(*) ",
            "PARAMETER (", "DATA ", "/1,2/", "COMMON/", "SAVE ", "IMPLICIT NONE", "SUBROUTINE ", "FUNCTION ",
            "      SUBROUTINE X(A,B)\n", "MODULE ", "CONTAINS", "END MODULE", "RETURN", "STOP", "DIMENSION ",
            "(0:3,NEXTERNAL)", "NEXTERNAL", "ANS", "P(0,1)", "DCMPLX(", "DCONJG(", "SQRT(", "MAX(", "ABS(", "CI",
            "TYPE(X) ", "RECURSIVE ", "RESULT(R)", "ENTRY ", "WRITE(*,*) ", "READ(", "FORMAT(", "EXTERNAL ", "INTRINSIC ");

    private static Path work;
    private static final Object COPY_LOCK = new Object();

    // ---- readers, in memory ------------------------------------------------------------------

    @Property
    @AddLifecycleHook(NeedsCorpus.class)
    void mutatedSourcesAreReadOrRejectedWithALine(@ForAll("mutatedSources") Mutations.Input source) {
        readSplitParse(source);
    }

    @Property
    @AddLifecycleHook(NeedsCorpus.class)
    void randomFortranIsReadOrRejectedWithALine(@ForAll("randomSources") Mutations.Input source) {
        readSplitParse(source);
    }

    /** Reads, splits into units and parses every unit's body, as the frontend does for reached units. */
    static void readSplitParse(Mutations.Input source) {
        Path includes = includeDirectory();
        FixedFormReader reader = new FixedFormReader(List.of(includes));
        List<LogicalLine> lines = Outcomes.check("fortran-reader", source, () -> reader.readText(source.text(), "fuzz.f", includes));
        if (lines == null) {
            return;
        }
        for (LogicalLine l : lines) {
            assertTrue(l.position().line() > 0, "line of " + l + " in " + source);
        }
        List<SourceUnit> units = Outcomes.check("fortran-splitter", source, () -> UnitSplitter.split(lines));
        if (units == null) {
            return;
        }
        for (SourceUnit u : units) {
            Outcomes.check("fortran-parser", source, () -> StatementParser.parse(u.body()));
        }
    }

    @Provide
    Arbitrary<Mutations.Input> mutatedSources() {
        FuzzCorpus.require();
        return Mutations.mutated(FuzzCorpus.texts(p -> p.contains("/fortran/") && (p.endsWith(".f") || p.endsWith(".inc"))
                && !p.endsWith("check_sa.f")), WORDS, 6);
    }

    @Provide
    Arbitrary<Mutations.Input> randomSources() {
        return Mutations.random(WORDS, 150).map(in -> new Mutations.Input(in.seed(), in.mutations(),
                "      SUBROUTINE FUZZ(P,ANS)\n      " + in.text() + "\n      END\n"));
    }

    /**
     * A directory for INCLUDEs: the corpus's ee_mumu subprocess files (read, not written) and a
     * file that includes itself.
     */
    private static synchronized Path includeDirectory() {
        if (work == null) {
            try {
                Files.createDirectories(Path.of("target"));
                work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "fuzz-fortran-");
                Path eeMumu = FuzzCorpus.require().resolve("ee_mumu/fortran");
                FuzzCorpus.copyTree(eeMumu, work.resolve("ee_mumu"));
                Path inc = work.resolve("ee_mumu/SubProcesses/P1_epem_mupmum");
                Files.writeString(inc.resolve("fuzz_self.inc"), "      INCLUDE 'fuzz_self.inc'\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return work.resolve("ee_mumu/SubProcesses/P1_epem_mupmum");
    }

    // ---- the whole frontend on a mutated copy of an output ----------------------------------

    /**
     * One corpus output copied once; each try mutates one of its files and restores it afterwards,
     * one try at a time (jqwik may abandon a slow shrinking step that is still running).
     */
    @Property
    @AddLifecycleHook(NeedsCorpus.class)
    void mutatedOutputsTranslateOrAreRejectedWithALine(@ForAll("mutatedOutputFiles") Mutations.Input file) throws IOException {
        synchronized (COPY_LOCK) {
            Path root = outputsCopy();
            Path target = root.resolve(file.seed());
            byte[] original = Files.readAllBytes(target);
            // seed = <process>/fortran/<path in the output>
            String[] parts = file.seed().split("/", 3);
            Path output = root.resolve(parts[0]).resolve(parts[1]);
            Path sub;
            try (Stream<Path> s = Files.list(output.resolve("SubProcesses"))) {
                sub = s.filter(p -> p.getFileName().toString().startsWith("P") && Files.isDirectory(p)).findFirst().orElseThrow();
            }
            try {
                // UTF-8 (a lone surrogate becomes '?'): mutations insert any character; the frontend reads bytes as Latin-1.
                Files.write(target, file.text().getBytes(StandardCharsets.UTF_8));
                Program p = Outcomes.check("fortran-frontend", file, () -> new FortranFrontend(output, sub).translate(),
                        FortranFuzzTest::fileLevel);
                if (p != null) {
                    assertTrue(p.nExternal() > 0 && p.nInitial() > 0, "a program with particles: " + file);
                }
            } finally {
                Files.write(target, original);
            }
        }
    }

    /** Errors about a file as a whole, which have no line: an entry point or a whole file missing. */
    static boolean fileLevel(String message) {
        return message.matches("\\S+: no routine (SMATRIX|MEGRAD_SETUP|MEGRAD_MASSES) found in the output's sources");
    }

    @Provide
    Arbitrary<Mutations.Input> mutatedOutputFiles() {
        FuzzCorpus.require();
        List<FuzzCorpus.Seed> seeds = new ArrayList<>(FuzzCorpus.texts(FortranFuzzTest::readByTheFrontend));
        // matrix.f is where most of a process is: mutate it as often as all other files together.
        List<FuzzCorpus.Seed> matrix = seeds.stream().filter(s -> s.name().endsWith("/matrix.f")).toList();
        int copies = seeds.size() / Math.max(1, matrix.size());
        for (int i = 0; i < copies; i++) {
            seeds.addAll(matrix);
        }
        return Mutations.mutated(seeds, WORDS, 4);
    }

    /** The files the frontend reads for the small outputs (the larger ones would make each try slow). */
    private static boolean readByTheFrontend(String p) {
        if (!(p.startsWith("ee_mumu/fortran/") || p.startsWith("gg_ttx/fortran/") || p.startsWith("ee_zh/fortran/"))) {
            return false;
        }
        return p.endsWith("/matrix.f") || p.contains("/DHELAS/") && p.endsWith(".f") && !p.endsWith("aloha_functions.f")
                || p.endsWith("/MODEL/couplings.f") || p.endsWith("/MODEL/couplings1.f") || p.endsWith("/MODEL/couplings2.f")
                || p.endsWith(".inc") && !p.contains("/DHELAS/") || p.endsWith("Cards/ident_card.dat")
                || p.endsWith("/aloha_functions.f");
    }

    private static synchronized Path outputsCopy() {
        includeDirectory();
        Path root = work.resolve("outputs");
        if (!Files.isDirectory(root)) {
            for (String process : List.of("ee_mumu", "gg_ttx", "ee_zh")) {
                FuzzCorpus.copyTree(FuzzCorpus.require().resolve(process).resolve("fortran"), root.resolve(process).resolve("fortran"));
            }
        }
        return root;
    }

    // ---- inputs the fuzzer found bugs with, kept as regression tests -------------------------

    /** Found by mutatedOutputs...: P declared without the particle dimension gave IndexOutOfBoundsException. */
    @Example
    @AddLifecycleHook(NeedsCorpus.class)
    void pointRoutineWithAScalarP() throws IOException {
        assertRejectedWithALine(editSmatrix("REAL*8 P(0:3,NEXTERNAL),ANS", "REAL*8 P,ANS"));
    }

    /** Found by mutatedOutputs...: P(0:3,*) (assumed size) gave NullPointerException. */
    @Example
    @AddLifecycleHook(NeedsCorpus.class)
    void pointRoutineWithAssumedSizeP() throws IOException {
        assertRejectedWithALine(editSmatrix("REAL*8 P(0:3,NEXTERNAL),ANS", "REAL*8 P(0:3,*),ANS"));
    }

    /**
     * Found by the long run: the END before a FUNCTION lost, so the header scan sees the function but
     * reading the file does not (NullPointerException in UnitLowering.apply).
     */
    @Example
    @AddLifecycleHook(NeedsCorpus.class)
    void functionSwallowedByTheUnitBeforeIt() throws IOException {
        assertRejectedWithALine(editSmatrix("      RETURN\n      END\n\n      LOGICAL FUNCTION IS_BORN_HEL_SELECTED",
                "      RETURN\n\n      LOGICAL FUNCTION IS_BORN_HEL_SELECTED"));
    }

    /** NINITIAL beyond an int gave NumberFormatException (found reading the code the fuzzer pointed at). */
    @Example
    @AddLifecycleHook(NeedsCorpus.class)
    void initialCountBeyondAnInt() throws IOException {
        assertRejectedWithALine(editSmatrix("PARAMETER (NINITIAL=2)", "PARAMETER (NINITIAL=99999999999)"));
    }

    /**
     * Deep nesting overflowed the recursive-descent parser (StackOverflowError at ~1000 parentheses,
     * 5000 IF blocks, 20000 signs); found after the C++ parser fell over nested parentheses.
     */
    @Example
    void deepNestingIsRejectedWithALine() {
        String[] bodies = {
            "      X = " + "(".repeat(5000) + "1" + ")".repeat(5000),
            "      X = " + "-".repeat(20000) + "1",
            "      X = 2" + "**2".repeat(5000),
            "      L = " + ".NOT.".repeat(5000) + "L",
            "      IF (X) THEN\n".repeat(5000) + "      X = 1\n" + "      END IF\n".repeat(5000),
            "      DO I = 1, 2\n".repeat(5000) + "      X = 1\n" + "      END DO\n".repeat(5000)};
        for (String body : bodies) {
            Mutations.Input in = new Mutations.Input("regression", List.of(), "      SUBROUTINE F(X)\n" + body + "\n      END\n");
            readSplitParse(in);
            List<SourceUnit> units = UnitSplitter.split(new FixedFormReader(List.of()).readText(in.text(), "t.f", null));
            InputException e = org.junit.jupiter.api.Assertions.assertThrows(InputException.class, () -> StatementParser.parse(units.get(0).body()));
            assertTrue(e.getMessage().matches("t\\.f:\\d+: .*nested more than 200 deep"), e.getMessage());
        }
    }

    /** Nesting as deep as MadGraph could plausibly write is still read. */
    @Example
    void nestingUpToTheLimitIsRead() {
        String body = "      X = " + "(".repeat(150) + "1" + ")".repeat(150) + "\n"
                + "      IF (X) THEN\n".repeat(150) + "      X = 1\n" + "      END IF\n".repeat(150);
        List<SourceUnit> units = UnitSplitter.split(new FixedFormReader(List.of()).readText(
                "      SUBROUTINE F(X)\n" + body + "      END\n", "t.f", null));
        assertEquals(2, StatementParser.parse(units.get(0).body()).size());
    }

    /** ee_mumu's matrix.f with {@code from} replaced by {@code to} inside SUBROUTINE SMATRIX. */
    private static Mutations.Input editSmatrix(String from, String to) throws IOException {
        String name = "ee_mumu/fortran/SubProcesses/P1_epem_mupmum/matrix.f";
        String text = Files.readString(FuzzCorpus.require().resolve(name), StandardCharsets.ISO_8859_1);
        int unit = text.indexOf("SUBROUTINE SMATRIX(P,ANS)");
        int at = text.indexOf(from, unit);
        assertTrue(unit >= 0 && at >= 0, "the corpus's matrix.f has changed: " + from);
        return new Mutations.Input(name, List.of(), text.substring(0, at) + to + text.substring(at + from.length()));
    }

    private void assertRejectedWithALine(Mutations.Input matrix) throws IOException {
        synchronized (COPY_LOCK) {
            assertRejectedWithALineOnTheCopy(matrix);
        }
    }

    private void assertRejectedWithALineOnTheCopy(Mutations.Input matrix) throws IOException {
        Path root = outputsCopy();
        Path output = root.resolve("ee_mumu/fortran");
        Path target = root.resolve(matrix.seed());
        byte[] original = Files.readAllBytes(target);
        try {
            Files.writeString(target, matrix.text(), StandardCharsets.ISO_8859_1);
            Program p = Outcomes.check("fortran-frontend", matrix,
                    () -> new FortranFrontend(output, output.resolve("SubProcesses/P1_epem_mupmum")).translate());
            assertTrue(p == null, "rejected: " + matrix);
        } finally {
            Files.write(target, original);
        }
    }

    @AfterContainer
    static void deleteWork() {
        synchronized (COPY_LOCK) {
            if (work != null) {
                // Best effort: a try abandoned by jqwik's shrinking timeout may still be restoring a file.
                try (Stream<Path> s = Files.walk(work)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException | UncheckedIOException ignored) {
                    // Left in target/, removed by mvn clean.
                }
                work = null;
            }
        }
    }
}
