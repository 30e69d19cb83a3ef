package io.megrad.cli.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/** Writes Les Houches event text the way MadGraph does, for the tests. */
final class Lhe {
    /** The file's beginning: root tag, a header whose CDATA holds lines that look like events, init block. */
    static final String HEAD = """
            <LesHouchesEvents version="3.0">
            <header>
            <MGVersion>
            3.5.0
            </MGVersion>
            <MGProcCard>
            <![CDATA[
            generate p p > t t~
            <event>
            </event>
            ]]>
            </MGProcCard>
            </header>
            <init>
            2212 2212 6.500000e+03 6.500000e+03 0 0 247000 247000 -4 1
            5.0e+02 1.0e+00 5.0e+02 1
            </init>
            """;
    static final String TAIL = "</LesHouchesEvents>\n";

    private Lhe() {}

    /** One particle line: {@code IDUP ISTUP ... px py pz E m ...}. */
    static String particle(int id, int status, double px, double py, double pz, double e) {
        return String.format(Locale.ROOT, " %8d %2d %4d %4d %4d %4d %+.10e %+.10e %+.10e %+.10e %+.10e %.4e %.4e%n",
                id, status, 0, 0, 0, 0, px, py, pz, e, 0.0, 0.0, 9.0);
    }

    /** An event block around {@code particles} (each from {@link #particle}), NUP counted. */
    static String event(String... particles) {
        StringBuilder text = new StringBuilder("<event>\n");
        text.append(String.format(Locale.ROOT, " %d %4d %+.7e %.8e %.8e %.8e%n", particles.length, 1, 1.0, 91.0, 0.0078, 0.118));
        for (String p : particles) {
            text.append(p);
        }
        return text.append("<mgrwt>\n<rscale>  0 0.91E+02</rscale>\n</mgrwt>\n</event>\n").toString();
    }

    static String file(String... events) {
        return HEAD + String.join("", events) + TAIL;
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
