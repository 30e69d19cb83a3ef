package io.megrad.codegen.build;

import io.megrad.codegen.ir.ExternalInput;
import io.megrad.codegen.ir.Program;
import io.megrad.runtime.slha.ParamKey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What a warm run needs to evaluate without translating the output again: keyed by a fingerprint
 * of the output's source files and of megrad itself, it records the particle counts, the external
 * inputs, and for each (mode, directions) the cache entry of the compiled port. Written
 * atomically; anything unreadable counts as absent, and the run translates as usual.
 */
public final class PortMetadata {
    /** The facts about a translated program that evaluators need. */
    public record Facts(int nExternal, int nInitial, List<ParamKey> inputKeys, double[] defaults) {
        public static Facts of(Program p) {
            List<ParamKey> keys = new ArrayList<>();
            double[] defaults = new double[p.inputs().size()];
            for (ExternalInput in : p.inputs()) {
                keys.add(in.block() == null ? null : new ParamKey(in.block(), in.indices()));
                defaults[in.index()] = in.defaultValue();
            }
            return new Facts(p.nExternal(), p.nInitial(), keys, defaults);
        }
    }

    private final Path dir;

    private PortMetadata(Path dir) {
        this.dir = dir;
    }

    /** The metadata directory of one subprocess of an output, for the megrad build that runs. */
    public static PortMetadata of(Path cacheRoot, Path outputRoot, Path subprocess) {
        return new PortMetadata(cacheRoot.resolve("meta").resolve(fingerprint(outputRoot, subprocess)));
    }

    public Facts facts() {
        Properties p = read(dir.resolve("program.properties"));
        if (p == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(p.getProperty("inputs"));
            List<ParamKey> keys = new ArrayList<>();
            double[] defaults = new double[n];
            for (int i = 0; i < n; i++) {
                String key = p.getProperty("input." + i + ".key");
                keys.add(key == null || key.isEmpty() ? null : ParamKey.parse(key));
                defaults[i] = Double.parseDouble(p.getProperty("input." + i + ".default"));
            }
            return new Facts(Integer.parseInt(p.getProperty("nExternal")), Integer.parseInt(p.getProperty("nInitial")), keys, defaults);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The cache entry key and class name of the port for {@code variant} ("FORWARD-3"), or null. */
    public String[] entry(String variant) {
        Properties p = read(dir.resolve(variant + ".properties"));
        if (p == null || p.getProperty("key") == null || p.getProperty("class") == null) {
            return null;
        }
        return new String[]{p.getProperty("key"), p.getProperty("class")};
    }

    public void store(Facts facts, String variant, String key, String className) {
        Properties prog = new Properties();
        prog.setProperty("nExternal", Integer.toString(facts.nExternal()));
        prog.setProperty("nInitial", Integer.toString(facts.nInitial()));
        prog.setProperty("inputs", Integer.toString(facts.defaults().length));
        for (int i = 0; i < facts.defaults().length; i++) {
            ParamKey k = facts.inputKeys().get(i);
            prog.setProperty("input." + i + ".key", k == null ? "" : k.toString());
            prog.setProperty("input." + i + ".default", Double.toString(facts.defaults()[i]));
        }
        Properties entry = new Properties();
        entry.setProperty("key", key);
        entry.setProperty("class", className);
        write(dir.resolve("program.properties"), prog);
        write(dir.resolve(variant + ".properties"), entry);
    }

    private static Properties read(Path f) {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
            return p;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void write(Path f, Properties p) {
        try {
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), ".meta", ".tmp");
            try (var out = Files.newOutputStream(tmp)) {
                p.store(out, "megrad port metadata");
            }
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Metadata only speeds up the next run; without it the next run translates again.
        }
    }

    /**
     * A hash of every source file the frontends may read (the subprocess directory, Source/ and
     * src/ with what they include, SubProcesses/*.inc, the ident card) and of megrad's own code.
     */
    static String fingerprint(Path root, Path subprocess) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<Path> files = new ArrayList<>();
            for (Path d : List.of(subprocess, root.resolve("Source"), root.resolve("src"))) {
                if (Files.isDirectory(d)) {
                    try (Stream<Path> s = Files.walk(d, d.equals(subprocess) ? 1 : 8)) {
                        s.filter(Files::isRegularFile).forEach(files::add);
                    }
                }
            }
            try (Stream<Path> s = Files.list(root.resolve("SubProcesses"))) {
                s.filter(p -> p.toString().endsWith(".inc") && Files.isRegularFile(p)).forEach(files::add);
            }
            files.add(root.resolve("Cards").resolve("ident_card.dat"));
            files.sort(null);
            for (Path f : files) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().endsWith(".a") && !f.getFileName().toString().endsWith(".o")) {
                    md.update(f.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
                    md.update(Files.readAllBytes(f));
                }
            }
            md.update(selfIdentity().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest()).substring(0, 32);
        } catch (IOException | NoSuchAlgorithmException e) {
            // No fingerprint: a key that matches nothing, so the run translates as usual.
            return "unreadable-" + System.nanoTime();
        }
    }

    /** Identifies this megrad build: its code's location, size and modification time. */
    private static String selfIdentity() throws IOException {
        try {
            Path code = Path.of(PortMetadata.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(code)) {
                return code + ":" + Files.size(code) + ":" + Files.getLastModifiedTime(code).toMillis();
            }
            long newest = 0;
            try (Stream<Path> s = Files.walk(code)) {
                for (Path p : s.filter(Files::isRegularFile).toList()) {
                    newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
                }
            }
            return code + ":" + newest;
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IOException("cannot locate megrad's own code", e);
        }
    }
}
