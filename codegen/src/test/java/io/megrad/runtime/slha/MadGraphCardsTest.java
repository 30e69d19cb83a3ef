package io.megrad.runtime.slha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Reads the real param cards of the MadGraph fixture corpus in place. The corpus is found through
 * {@code MEGRAD_CORPUS}, else next to the project checkout ({@code ../shared/madgraph} from the
 * project root). Without it the tests are skipped, except on CI where a missing corpus is a failure.
 */
class MadGraphCardsTest {
    private static final Pattern ENTRY_OR_DECAY = Pattern.compile("\\s*(?i:decay\\s)?\\s*[+-]?\\d.*");

    private static Path corpus() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("MEGRAD_CORPUS");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        } else {
            // Surefire runs in the module directory; an IDE may run in the project root.
            Path here = Path.of("").toAbsolutePath();
            candidates.add(here.resolve("../../shared/madgraph").normalize());
            candidates.add(here.resolve("../shared/madgraph").normalize());
        }
        Optional<Path> found = candidates.stream().filter(Files::isDirectory).findFirst();
        if (found.isEmpty()) {
            String message = "MadGraph corpus not found (looked in " + candidates + "; set MEGRAD_CORPUS)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message);
            }
            assumeTrue(false, message);
        }
        return found.get();
    }

    private static List<Path> cards() throws IOException {
        Path root = corpus();
        List<Path> cards = new ArrayList<>();
        try (Stream<Path> processes = Files.list(root)) {
            for (Path process : processes.sorted().toList()) {
                for (String tree : List.of("fortran", "cpp")) {
                    Path card = process.resolve(tree).resolve("Cards/param_card.dat");
                    if (Files.isRegularFile(card)) {
                        cards.add(card);
                    }
                }
            }
        }
        assertFalse(cards.isEmpty(), "no */{fortran,cpp}/Cards/param_card.dat under " + root);
        return cards;
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusCardReadsWithTheStandardModelEntries() throws IOException {
        return cards().stream().map(file -> DynamicTest.dynamicTest(corpus().relativize(file).toString(), () -> {
            ParamCard card = ParamCard.read(file);
            assertEquals(173.0, card.value(ParamKey.parse("MASS:6")).getAsDouble());
            assertEquals(91.188, card.value(ParamKey.parse("MASS:23")).getAsDouble());
            assertEquals(132.507, card.value(ParamKey.parse("SMINPUTS:1")).getAsDouble());
            assertEquals(1.16639e-05, card.value(ParamKey.parse("SMINPUTS:2")).getAsDouble());
            assertEquals(0.118, card.value(ParamKey.parse("SMINPUTS:3")).getAsDouble());
            assertEquals(1.4915, card.value(ParamKey.parse("DECAY:6")).getAsDouble());
            assertEquals(2.441404, card.value(ParamKey.parse("DECAY:23")).getAsDouble());
            assertEquals(0.0, card.value(ParamKey.parse("DECAY:22")).getAsDouble());
        }));
    }

    /** Every entry line and DECAY line of a MadGraph card is one distinct key: nothing lost or merged. */
    @TestFactory
    Stream<DynamicTest> everyEntryLineOfACorpusCardBecomesOneKey() throws IOException {
        return cards().stream().map(file -> DynamicTest.dynamicTest(corpus().relativize(file).toString(), () -> {
            long lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1).stream()
                    .map(line -> line.replaceFirst("#.*", ""))
                    .filter(line -> ENTRY_OR_DECAY.matcher(line).matches())
                    .count();
            assertEquals(lines, ParamCard.read(file).keys().size());
        }));
    }

    @Test
    void heftCardKeepsTheQuantumNumbersOfTheExtraScalar() throws IOException {
        Path card = corpus().resolve("heft_gg_hg/fortran/Cards/param_card.dat");
        assumeTrue(Files.isRegularFile(card), "no " + card);
        ParamCard heft = ParamCard.read(card);
        assertEquals(125.0001, heft.value(ParamKey.parse("MASS:9000006")).getAsDouble());
        assertEquals(1.0, heft.value(ParamKey.parse("QNUMBERS:9000006:2")).getAsDouble());
        assertEquals(6.382339e-03, heft.value(ParamKey.parse("DECAY:9000006")).getAsDouble());
    }

    @Test
    void fortranAndCppCardsOfOneProcessAgree() throws IOException {
        int compared = 0;
        try (Stream<Path> processes = Files.list(corpus())) {
            for (Path process : processes.toList()) {
                Path fortran = process.resolve("fortran/Cards/param_card.dat");
                Path cpp = process.resolve("cpp/Cards/param_card.dat");
                if (Files.isRegularFile(fortran) && Files.isRegularFile(cpp)) {
                    ParamCard f = ParamCard.read(fortran);
                    ParamCard c = ParamCard.read(cpp);
                    assertEquals(f.keys(), c.keys(), process.toString());
                    for (ParamKey key : f.keys()) {
                        assertEquals(f.value(key), c.value(key), process + " " + key);
                    }
                    compared++;
                }
            }
        }
        assumeTrue(compared > 0, "no process with both a Fortran and a C++ card");
    }
}
