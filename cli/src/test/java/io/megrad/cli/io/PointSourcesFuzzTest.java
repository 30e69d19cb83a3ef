package io.megrad.cli.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megrad.fuzz.FuzzCorpus;
import io.megrad.fuzz.Mutations;
import io.megrad.fuzz.NeedsCorpus;
import io.megrad.fuzz.Outcomes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing the points readers (JSON, CSV, LHE, plain and gzipped) through {@link PointSources}: the
 * corpus's reference points written in each format, mutated, and random text. Every input gives
 * points of the right shape with finite components, or an InputException naming {@code <stdin>:line},
 * a point index or an event index.
 */
class PointSourcesFuzzTest {
    private static final List<String> JSON_WORDS = List.of("[", "]", "{", "}", ",", ":", "\"points\"", "\"points\": [",
            "\"", "NaN", "Infinity", "-Infinity", "null", "true", "[250.0, 0.0, 0.0, 250.0]", "[[", "]]", "1e999", "-",
            ".", "e", "\n", " ", "//", "/*", "'", "\\", "\\u0000", "\uFEFF", "\u00e9", "{\"a\": [1, {\"b\": 2}]}, ");
    private static final List<String> CSV_WORDS = List.of(",", ",,", "\n", "\r\n", "#", "# comment\n", "nan", "inf",
            "-Infinity", "\uFEFF", "\"", "E1,px1,py1,pz1", "250.0", "0", " ", "\t", ";", "1e999", "-", ".", "e");
    private static final List<String> LHE_WORDS = List.of("<event>\n", "</event>\n", "<event>", "</event>",
            "<LesHouchesEvents version=\"3.0\">\n", "</LesHouchesEvents>\n", "<init>\n", "</init>\n", "<!--", "-->",
            "<![CDATA[", "]]>", "<header>", "</header>", "<?xml version=\"1.0\"?>\n", "\n", " ", "1", "-1", "2", "3", "21",
            "-11", "11", " 4 1 +1.0e+00 9.1e+01 7.8e-03 1.2e-01\n", "1.0D+03", "NaN", "# comment\n", "<mgrwt>", "</mgrwt>",
            "<eventgroup>", "<event attr=\"x\">", "\uFEFF");

    private static final Map<String, Subprocess> SUBPROCESSES = new LinkedHashMap<>();
    private static final List<FuzzCorpus.Seed> JSON = new ArrayList<>();
    private static final List<FuzzCorpus.Seed> CSV = new ArrayList<>();
    private static final List<FuzzCorpus.Seed> LHE = new ArrayList<>();

    static {
        // The corpus's reference points, in each input format; a small built-in seed without a corpus.
        List<FuzzCorpus.Seed> references = FuzzCorpus.texts(p -> p.endsWith("/reference.json"));
        for (FuzzCorpus.Seed r : references) {
            JsonObject doc = JsonParser.parseString(r.text()).getAsJsonObject();
            JsonObject sub = doc.getAsJsonArray("subprocesses").get(0).getAsJsonObject();
            int[] pdg = new int[sub.getAsJsonArray("pdg").size()];
            for (int i = 0; i < pdg.length; i++) {
                pdg[i] = sub.getAsJsonArray("pdg").get(i).getAsInt();
            }
            addSeeds(doc.get("name").getAsString(), new Subprocess("P1_" + doc.get("name").getAsString(), 2, pdg),
                    sub.getAsJsonArray("points"));
        }
        if (references.isEmpty()) {
            addSeeds("builtin", new Subprocess("P1_epem_mupmum", 2, new int[]{-11, 11, -13, 13}), JsonParser.parseString(
                    "[[[250,0,0,250],[250,0,0,-250],[250,100,50,220.4540768],[250,-100,-50,-220.4540768]]]").getAsJsonArray());
        }
    }

    private static void addSeeds(String name, Subprocess sub, JsonArray points) {
        SUBPROCESSES.put(name, sub);
        StringBuilder json = new StringBuilder("{\"process\": \"" + name + "\", \"points\": [\n");
        StringJoiner header = new StringJoiner(",");
        for (int i = 1; i <= sub.nExternal(); i++) {
            header.add("E" + i).add("px" + i).add("py" + i).add("pz" + i);
        }
        StringBuilder csv = new StringBuilder("# " + name + "\n" + header + "\n");
        List<String> events = new ArrayList<>();
        for (int k = 0; k < points.size(); k++) {
            JsonArray point = points.get(k).getAsJsonArray();
            json.append(k == 0 ? "  " : ",\n  ").append(point);
            StringJoiner row = new StringJoiner(",");
            String[] particles = new String[point.size()];
            for (int i = 0; i < point.size(); i++) {
                double[] p = new double[4];
                for (int mu = 0; mu < 4; mu++) {
                    p[mu] = point.get(i).getAsJsonArray().get(mu).getAsDouble();
                    row.add(Double.toString(p[mu]));
                }
                particles[i] = Lhe.particle(sub.pdg(i), i < 2 ? -1 : 1, p[1], p[2], p[3], p[0]);
            }
            csv.append(row).append('\n');
            events.add(Lhe.event(particles));
        }
        JSON.add(new FuzzCorpus.Seed(name, json.append("\n]}\n").toString()));
        CSV.add(new FuzzCorpus.Seed(name, csv.toString()));
        LHE.add(new FuzzCorpus.Seed(name, Lhe.file(events.toArray(String[]::new))));
    }

    // ---- properties ---------------------------------------------------------------------------

    @Property
    @AddLifecycleHook(NeedsCorpus.class)
    void mutatedJsonIsReadOrRejectedWithAPosition(@ForAll("mutatedJson") Mutations.Input input) {
        read("json", input, false);
    }

    @Property
    @AddLifecycleHook(NeedsCorpus.class)
    void mutatedCsvIsReadOrRejectedWithAPosition(@ForAll("mutatedCsv") Mutations.Input input) {
        read("csv", input, false);
    }

    @Property
    @AddLifecycleHook(NeedsCorpus.class)
    void mutatedLheIsReadOrRejectedWithAPosition(@ForAll("mutatedLhe") Mutations.Input input) {
        read("lhe", input, false);
    }

    /** Gzipped inputs, whose compressed bytes are cut or changed: the gzip layer must fail as cleanly. */
    @Property
    @AddLifecycleHook(NeedsCorpus.class)
    void damagedGzipIsReadOrRejectedWithAPosition(@ForAll("gzipped") Mutations.Input input, @ForAll("formats") String format,
            @ForAll("fractions") double cut, @ForAll("fractions") double flip) {
        read(format, input, true, cut, flip);
    }

    @Property
    void randomTextIsReadOrRejectedWithAPosition(@ForAll("randomText") Mutations.Input input, @ForAll("formats") String format) {
        read(format, input, false);
    }

    // ---- inputs the fuzzer found bugs with, kept as regression tests -------------------------

    /** Found by mutatedCsv...: a long run of digits that is not a number backtracked quadratically (hung). */
    @Example
    void aLongDamagedNumberIsRejectedInLinearTime() {
        String field = "9223372036854775808".repeat(20_000) + "\"";
        for (String format : List.of("csv", "json", "lhe")) {
            String text = switch (format) {
                case "csv" -> field + ",0,0,250,250,0,0,-250,250,0,0,250,250,0,0,-250\n";
                case "json" -> "{\"points\": [[[" + field + ", 0, 0, 1]]]}";
                default -> Lhe.file(Lhe.event(" -11 -1 0 0 0 0 " + field + " 0 0 250 0 0 9\n"));
            };
            read(format, new Mutations.Input("builtin", List.of(), text), false);
        }
    }

    private static void read(String format, Mutations.Input input, boolean gzip) {
        read(format, input, gzip, 1, -1);
    }

    /**
     * Reads every point of {@code input} as {@code format} from standard input; {@code cut} keeps
     * that fraction of the (gzipped) bytes and {@code flip} inverts the byte at that fraction.
     */
    private static void read(String format, Mutations.Input input, boolean gzip, double cut, double flip) {
        Subprocess sub = SUBPROCESSES.getOrDefault(input.seed(), SUBPROCESSES.values().iterator().next());
        byte[] bytes = input.text().getBytes(StandardCharsets.UTF_8);
        if (gzip) {
            bytes = Lhe.gzip(input.text());
            bytes = java.util.Arrays.copyOf(bytes, Math.max(2, (int) (cut * bytes.length)));
            if (flip >= 0) {
                int at = Math.min(bytes.length - 1, 2 + (int) (flip * (bytes.length - 2)));
                bytes[at] = (byte) ~bytes[at];
            }
        }
        InputStream stdin = new ByteArrayInputStream(bytes);
        List<Point> points = Outcomes.check("points-" + format + (gzip ? "-gz" : ""), input, () -> {
            List<Point> read = new ArrayList<>();
            try (PointSource src = format.equals("lhe") ? PointSources.open("-", "lhe", List.of(sub), stdin)
                    : PointSources.open("-", format, sub.nExternal(), stdin)) {
                while (src.hasNext()) {
                    read.add(src.next());
                }
            }
            return read;
        }, PointSourcesFuzzTest::fileLevel);
        if (points == null) {
            return;
        }
        for (int k = 0; k < points.size(); k++) {
            Point p = points.get(k);
            assertEquals(k, p.index(), "point indices count from 0: " + input);
            assertEquals(sub.nExternal(), p.momenta().length, "momenta of point " + k + ": " + input);
            for (double[] momentum : p.momenta()) {
                assertEquals(4, momentum.length);
                for (double x : momentum) {
                    assertTrue(Double.isFinite(x), "a non-finite component read as a number, point " + k + ": " + input);
                }
            }
        }
    }

    /**
     * Errors about the input as a whole: no LHE root tag in an empty file, a damaged gzip header, a
     * gzip stream cut inside the first line.
     */
    static boolean fileLevel(String message) {
        return message.equals("<stdin>: not a Les Houches event file: no <LesHouchesEvents> tag")
                || message.startsWith("cannot read <stdin>: ") || message.startsWith("<stdin>: cannot read: ");
    }

    // ---- inputs -------------------------------------------------------------------------------

    @Provide
    Arbitrary<Mutations.Input> mutatedJson() {
        return Mutations.mutated(JSON, JSON_WORDS, 6);
    }

    @Provide
    Arbitrary<Mutations.Input> mutatedCsv() {
        return Mutations.mutated(CSV, CSV_WORDS, 6);
    }

    @Provide
    Arbitrary<Mutations.Input> mutatedLhe() {
        return Mutations.mutated(LHE, LHE_WORDS, 6);
    }

    @Provide
    Arbitrary<Mutations.Input> gzipped() {
        List<FuzzCorpus.Seed> all = new ArrayList<>(JSON);
        all.addAll(CSV);
        all.addAll(LHE);
        return Arbitraries.of(all).map(s -> new Mutations.Input(s.name(), List.of(), s.text()));
    }

    @Provide
    Arbitrary<String> formats() {
        return Arbitraries.of("json", "csv", "lhe");
    }

    @Provide
    Arbitrary<Double> fractions() {
        return Arbitraries.doubles().between(0, 1);
    }

    @Provide
    Arbitrary<Mutations.Input> randomText() {
        List<String> words = new ArrayList<>(JSON_WORDS);
        words.addAll(CSV_WORDS);
        words.addAll(LHE_WORDS);
        return Combinators.combine(Arbitraries.of(SUBPROCESSES.keySet()), Mutations.random(words, 150))
                .as((seed, in) -> new Mutations.Input(seed, List.of(), in.text()));
    }
}
