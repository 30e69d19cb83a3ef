package io.megrad.codegen.cpp;

import io.megrad.codegen.ir.Program;
import io.megrad.fuzz.FuzzCorpus;
import io.megrad.fuzz.Mutations;
import io.megrad.fuzz.NeedsCorpus;
import io.megrad.fuzz.Outcomes;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing the C++ frontend: the lexer and parser on mutated corpus sources and random C++-like
 * text, and the whole {@link CppFrontend} on copies of corpus outputs with one file mutated. Every
 * input gives a result, or an InputException / UnsupportedConstructException naming
 * {@code file:line}, in bounded time.
 */
class CppFuzzTest {
    static final List<String> WORDS = List.of("{", "}", "(", ")", "[", "]", ";", ",", "<", ">", "<<", ">>", "::", ":",
            "?", "=", "==", "+=", "-", "*", "/", "%", "&", "&&", "|", "!", "~", "->", ".", "...", "'", "\"", "\\", "\n",
            "\\\n", "//", "/*", "*/", "#include \"CPPProcess.h\"\n", "#include \"missing.h\"\n", "#include <cmath>\n",
            "#define X 1\n", "#ifndef X\n", "#endif\n", "#if 0\n", "template<", "typename ", "class ", "struct ", "public:",
            "private:", "virtual ", "static ", "const ", "constexpr ", "inline ", "extern ", "namespace ", "using namespace std;",
            "std::complex<double>", "complex<double>", "std::vector<double>", "double ", "int ", "bool ", "void ", "auto ",
            "return ", "if (", "else ", "for (int i = 0; i < 4; i++)", "while (", "do ", "break;", "continue;", "switch (",
            "case 1:", "goto ", "new ", "delete ", "this->", "operator+", "sizeof(", "static_cast<double>(", "nullptr",
            "true", "1e5", "1.0e-3", "0x1F", "1.0f", "10L", "'a'", "\"str\"", "sqrt(", "pow(", "conj(", "real(", "imag(",
            "std::", "mME", "jamp", "amp", "w[0]", "pars->", "Parameters_sm::getInstance()", "cxtype", "throw ", "try {",
            "catch (...)", "~CPPProcess()", "friend ", "enum ", "union ", "typedef ", "decltype(", "[&](", "lambda");

    private static Path work;
    private static final Object COPY_LOCK = new Object();

    @Property
    @AddLifecycleHook(NeedsCorpus.class)
    void mutatedSourcesAreParsedOrRejectedWithALine(@ForAll("mutatedSources") Mutations.Input source) {
        parse(source);
    }

    @Property
    void randomCppIsParsedOrRejectedWithALine(@ForAll("randomSources") Mutations.Input source) {
        parse(source);
    }

    private static void parse(Mutations.Input source) {
        Outcomes.check("cpp-lexer", source, () -> Lexer.tokens(source.text(), "fuzz.cc"));
        Set<String> known = new HashSet<>(Set.of("SLHAReader", "SLHABlock", "Parameters_sm", "CPPProcess", "Parameters_heft"));
        Outcomes.check("cpp-parser", source, () -> Parser.parse(source.text(), "fuzz.cc", known));
    }

    @Provide
    Arbitrary<Mutations.Input> mutatedSources() {
        FuzzCorpus.require();
        return Mutations.mutated(FuzzCorpus.texts(p -> p.contains("/cpp/") && (p.endsWith(".cc") || p.endsWith(".h"))
                && !p.contains("read_slha") && !p.contains("rambo")), WORDS, 6);
    }

    @Provide
    Arbitrary<Mutations.Input> randomSources() {
        return Mutations.random(WORDS, 150);
    }

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
            String[] parts = file.seed().split("/", 3);
            Path output = root.resolve(parts[0]).resolve(parts[1]);
            Path sub;
            try (Stream<Path> s = Files.list(output.resolve("SubProcesses"))) {
                sub = s.filter(p -> p.getFileName().toString().startsWith("P") && Files.isDirectory(p)).findFirst().orElseThrow();
            }
            try {
                Files.write(target, file.text().getBytes(StandardCharsets.UTF_8));
                Program p = Outcomes.check("cpp-frontend", file, () -> new CppFrontend(output, sub).translate(),
                        CppFuzzTest::fileLevel);
                if (p != null) {
                    assertTrue(p.nExternal() > 0 && p.nInitial() > 0, "a program with particles: " + file);
                }
            } finally {
                Files.write(target, original);
            }
        }
    }

    @Provide
    Arbitrary<Mutations.Input> mutatedOutputFiles() {
        FuzzCorpus.require();
        return Mutations.mutated(FuzzCorpus.texts(p -> (p.startsWith("ee_mumu/cpp/") || p.startsWith("gg_ttx/cpp/"))
                && (p.endsWith(".cc") || p.endsWith(".h")) && !p.contains("read_slha") && !p.contains("rambo")
                && !p.contains("check_sa")), WORDS, 4);
    }

    // ---- bugs the fuzzer found in the C++ frontend, fixed; the inputs stay as regression tests --------

    /** Errors without a line: about a whole file. */
    static boolean fileLevel(String message) {
        return message.endsWith(": no class CPPProcess found (is this a MadGraph standalone_cpp output?)");
    }

    private static final Pattern MOMENTA_MEMBER = Pattern.compile("vector\\s*<\\s*double\\s*\\*\\s*>\\s*p\\s*;");

    /** CPPProcess.h without its {@code vector<double*> p;} member: NullPointerException in CppFrontend.point. */
    @Example
    @AddLifecycleHook(NeedsCorpus.class)
    void regressionProcessWithoutMomentaMember() throws IOException {
        synchronized (COPY_LOCK) {
            Path output = outputsCopy().resolve("ee_mumu/cpp");
            Path header = output.resolve("SubProcesses/P1_Sigma_sm_epem_mupmum/CPPProcess.h");
            byte[] original = Files.readAllBytes(header);
            try {
                String text = new String(original, StandardCharsets.ISO_8859_1);
                Files.writeString(header, MOMENTA_MEMBER.matcher(text).replaceFirst(""), StandardCharsets.ISO_8859_1);
                Outcomes.check("cpp-frontend", "CPPProcess.h without p", () -> new CppFrontend(output, header.getParent()).translate(),
                        CppFuzzTest::fileLevel);
            } finally {
                Files.write(header, original);
            }
        }
    }


    /** {@code using} without {@code ;} before the end of the file: Parser.declarations loops forever at EOF. */
    @Example
    void regressionUnterminatedUsing() {
        parse(new Mutations.Input("regression", List.of(), "using namespace MG5_sm\n"));
    }

    /** Deep nesting overflows the recursive-descent parser: StackOverflowError instead of an InputException. */
    @Example
    void regressionDeepNesting() {
        parse(new Mutations.Input("regression", List.of(), "double f() { return " + "(".repeat(5000) + "1" + ")".repeat(5000) + "; }"));
    }

    /** A hexadecimal literal beyond a long, or without digits: NumberFormatException from the lexer. */
    @Example
    void regressionHexLiteral() {
        parse(new Mutations.Input("regression", List.of(), "0x1F99999999999999999999"));
        parse(new Mutations.Input("regression", List.of(), "0x"));
    }

    private static synchronized Path outputsCopy() {
        if (work == null) {
            try {
                Files.createDirectories(Path.of("target"));
                work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "fuzz-cpp-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String process : List.of("ee_mumu", "gg_ttx")) {
                FuzzCorpus.copyTree(FuzzCorpus.require().resolve(process).resolve("cpp"), work.resolve(process).resolve("cpp"));
            }
        }
        return work;
    }

    @AfterContainer
    static void deleteWork() {
        synchronized (COPY_LOCK) {
            if (work != null) {
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
