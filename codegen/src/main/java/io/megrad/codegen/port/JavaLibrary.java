package io.megrad.codegen.port;

import io.megrad.codegen.JavaPort;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.discover.ProcessHeader;
import io.megrad.codegen.emit.java.JavaEmitter;
import io.megrad.codegen.ir.ExternalInput;
import io.megrad.codegen.ir.Program;
import io.megrad.runtime.GeneratedProcess;
import io.megrad.runtime.InputException;
import io.megrad.runtime.Seed;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UsageException;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;

import javax.lang.model.SourceVersion;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a self-contained Java library for one subprocess: the translated MadGraph code, a small
 * API ({@code MatrixElement}, {@code Evaluation}), an example program, compiled into one jar
 * that runs with nothing but a JDK, with sources, Javadoc and the param card beside it.
 *
 * <pre>{@code
 * MadGraphOutput out = MadGraphOutput.open(dir);
 * JavaPort port = JavaPort.translate(out, null);
 * JavaLibrary.Written lib = JavaLibrary.write(out, port, out.paramCard(), Path.of("ee_mumu_lib"),
 *         new JavaLibrary.Options(null, JavaPort.Mode.REVERSE, List.of(new Seed.Momentum(3, 0))));
 * // java -jar ee_mumu_lib/P1_epem_mupmum.jar
 * }</pre>
 *
 * <p>The jar holds the compiled megrad runtime classes the library uses, copied from this JVM
 * (the closure of what its classes reference); its sources are the library's own code, which rebuilds
 * against the jar.
 */
public final class JavaLibrary {
    /** Coupling orders, tags and the like that follow the particles in MadGraph's process line. */
    private static final Pattern PROCESS_EXTRAS = Pattern.compile("\\s+(?:\\S*(?:<=|>=|=)\\S*|@\\S*)");

    private JavaLibrary() {
    }

    /**
     * What to generate.
     *
     * @param packageName the library's Java package; null for {@link #defaultPackage}
     * @param mode        how derivatives are computed
     * @param seeds       the derivatives, in the order the library returns them
     */
    public record Options(String packageName, JavaPort.Mode mode, List<Seed> seeds) {
        public Options {
            if (mode == null) {
                throw new IllegalArgumentException("mode must not be null");
            }
            seeds = List.copyOf(seeds);
        }
    }

    /**
     * What was written.
     *
     * @param directory the library's directory
     * @param jar       the jar to run or put on a class path
     * @param wrt       the names of the derivatives, in gradient order
     * @param warnings  one-line notes (e.g. a derivative that is exactly zero)
     */
    public record Written(Path directory, Path jar, String packageName, JavaPort.Mode mode, List<String> wrt, List<String> warnings) {
    }

    /** {@code megrad.generated.<subprocess>} in lower case, made a valid package name. */
    public static String defaultPackage(String subprocess) {
        String segment = subprocess.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (segment.isEmpty() || !Character.isJavaIdentifierStart(segment.charAt(0)) || SourceVersion.isKeyword(segment)) {
            segment = "_" + segment;
        }
        return "megrad.generated." + segment;
    }

    /** How a derivative is named: {@code p3.E}, {@code p3.x}, {@code MASS:6}. */
    public static String name(Seed seed) {
        return seed instanceof Seed.Momentum m ? "p" + m.particle() + "." + "Exyz".charAt(m.component())
                : ((Seed.Parameter) seed).key().toString();
    }

    /**
     * Generates, compiles and writes the library into {@code outDir}, atomically: built beside it
     * under a temporary name and renamed into place, replacing an earlier library there.
     *
     * @param card the param card to embed (e.g. {@link MadGraphOutput#paramCard()})
     * @throws UsageException  for a bad package name, particle number or output directory
     * @throws InputException  for a missing or malformed card, or a derivative entry not in it
     */
    public static Written write(MadGraphOutput output, JavaPort port, Path card, Path outDir, Options options) {
        String pkg = options.packageName() == null ? defaultPackage(port.subprocess()) : options.packageName();
        checkPackage(pkg);
        Program program = port.program();
        String cardText = readCard(card);
        ParamCard parsed = ParamCard.parse(cardText, card.toString(), output.cardDuplicates());
        List<String> warnings = new ArrayList<>(parsed.warnings());
        checkSeeds(options.seeds(), program, parsed, card, warnings);
        List<String> wrt = options.seeds().stream().map(JavaLibrary::name).toList();

        Path subprocess = output.subprocess(port.subprocess());
        if (program.procedure(Program.MASSES_ENTRY) == null) {
            warnings.add("the output does not state the external masses: the library's sample point takes every particle massless");
        }
        boolean reverse = options.mode() == JavaPort.Mode.REVERSE;
        String internal = pkg + ".internal";
        String portSource = reverse ? JavaEmitter.adjoint(program, JavaPort.unseededIncoming(program, options.seeds())).emit(internal, "Port")
                : new JavaEmitter(program, options.seeds().size()).emit(internal, "Port");
        String jarName = port.subprocess() + ".jar";
        String version = GeneratedProcess.class.getPackage().getImplementationVersion();
        String process = process(subprocess, port.subprocess());
        LibrarySources sources = new LibrarySources(pkg, jarName, process, port.subprocess(),
                output.root().toString(), program, options.seeds(), wrt, reverse, version == null ? "(development build)" : version,
                output.cardDuplicates());

        try (OutputDirectory dir = OutputDirectory.create(outDir)) {
            Path root = dir.path();
            Path pkgDir = root.resolve("src").resolve(pkg.replace('.', File.separatorChar));
            Path api = write(pkgDir.resolve("MatrixElement.java"), sources.matrixElement());
            Path evaluation = write(pkgDir.resolve("Evaluation.java"), sources.evaluation());
            Path example = write(pkgDir.resolve("Example.java"), sources.example());
            Path translated = write(pkgDir.resolve("internal").resolve("Port.java"), portSource);

            Path classes = Files.createDirectories(root.resolve(".build").resolve("classes"));
            Tools.compile(List.of(api, evaluation, example, translated), classes, Tools.megradClassPath());
            Map<String, byte[]> entries = new TreeMap<>();
            Map<String, byte[]> own = classFiles(classes);
            own.forEach((name, bytes) -> entries.put(name + ".class", bytes));
            RuntimeClasses.closure(own).forEach((name, bytes) -> entries.put(name + ".class", bytes));
            entries.put(pkg.replace('.', '/') + "/param_card.dat", cardText.getBytes(StandardCharsets.ISO_8859_1));
            Path jar = root.resolve(jarName);
            Tools.jar(jar, pkg + ".Example", entries);
            Tools.javadoc(List.of(api, evaluation, example), root.resolve("doc"),
                    classes + File.pathSeparator + Tools.megradClassPath(), "|M|² of " + process + " (" + pkg + ")");
            deleteTree(root.resolve(".build"));

            Files.writeString(root.resolve("param_card.dat"), cardText, StandardCharsets.ISO_8859_1);
            Files.writeString(root.resolve("README.md"), sources.readme(), StandardCharsets.UTF_8);
            Files.writeString(root.resolve(OutputDirectory.MARKER), "megrad port " + (version == null ? "" : version)
                    + "\nsubprocess " + port.subprocess() + "\npackage " + pkg + "\n", StandardCharsets.UTF_8);
            dir.commit();
        } catch (IOException e) {
            throw OutputDirectory.cannotWrite(outDir, e);
        }
        Path directory = outDir.toAbsolutePath().normalize();
        return new Written(directory, directory.resolve(jarName), pkg, options.mode(), wrt, warnings);
    }

    private static void checkPackage(String pkg) {
        if (!SourceVersion.isName(pkg)) {
            throw new UsageException("bad --package '" + pkg + "': expected a Java package name such as org.example.ee_mumu");
        }
        if (pkg.equals("java") || pkg.startsWith("java.") || pkg.equals("io.megrad.runtime") || pkg.startsWith("io.megrad.runtime.")) {
            throw new UsageException("bad --package '" + pkg + "': that package belongs to " + (pkg.startsWith("java") ? "the JDK" : "megrad"));
        }
    }

    private static String readCard(Path card) {
        try {
            return Files.readString(card, StandardCharsets.ISO_8859_1);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InputException("param card not found: " + card);
        } catch (IOException e) {
            throw new InputException("cannot read param card " + card + ": " + e.getMessage());
        }
    }

    private static void checkSeeds(List<Seed> seeds, Program program, ParamCard card, Path cardPath, List<String> warnings) {
        for (Seed s : seeds) {
            if (s instanceof Seed.Momentum m) {
                if (m.particle() < 1 || m.particle() > program.nExternal()) {
                    throw new UsageException("particle p" + m.particle() + " does not exist: the process has "
                            + program.nExternal() + " external particles");
                }
                continue;
            }
            ParamKey key = ((Seed.Parameter) s).key();
            if (!card.contains(key)) {
                throw new InputException(SourcePosition.of(cardPath.toString(), 0), "no entry " + key + " in the param card");
            }
            boolean read = program.inputs().stream()
                    .anyMatch((ExternalInput in) -> in.block() != null && key.equals(new ParamKey(in.block(), in.indices())));
            if (!read) {
                warnings.add(key + " is in the param card but the model does not read it (e.g. a derived quantity): its derivatives are exactly zero");
            }
        }
    }

    /** The process as the output's header states it (particles only), else the subprocess name. */
    private static String process(Path subprocess, String fallback) {
        for (String file : List.of("matrix.f", "CPPProcess.cc")) {
            Path f = subprocess.resolve(file);
            if (Files.isRegularFile(f)) {
                try {
                    return PROCESS_EXTRAS.matcher(ProcessHeader.read(f).process()).replaceAll("").strip();
                } catch (InputException e) {
                    return fallback;
                }
            }
        }
        return fallback;
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Class files under {@code classes}, by binary name with slashes. */
    private static Map<String, byte[]> classFiles(Path classes) throws IOException {
        Map<String, byte[]> result = new TreeMap<>();
        try (Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".class")).toList()) {
                String rel = classes.relativize(p).toString().replace(File.separatorChar, '/');
                result.put(rel.substring(0, rel.length() - ".class".length()), Files.readAllBytes(p));
            }
        }
        return result;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
