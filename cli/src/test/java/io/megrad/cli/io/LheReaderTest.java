package io.megrad.cli.io;

import static io.megrad.cli.io.Lhe.event;
import static io.megrad.cli.io.Lhe.particle;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.megrad.runtime.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LheReaderTest {
    private static final String TTBAR = event(
            particle(21, -1, 0, 0, 500, 500),
            particle(21, -1, 0, 0, -500, 500),
            particle(6, 1, 100, 200, 300, 460.5),
            particle(-6, 1, -100, -200, -300, 539.5));

    private static LheReader reader(String text) {
        return new LheReader("events.lhe", new BufferedReader(new StringReader(text)));
    }

    private static String message(String text) {
        try (LheReader events = reader(text)) {
            return assertThrows(InputException.class, () -> {
                while (events.read() != null) {
                    // read to the error
                }
            }).getMessage();
        }
    }

    @Test
    void readsIncomingAndOutgoingAsEnergyFirstMomenta() {
        try (LheReader events = reader(Lhe.file(TTBAR, TTBAR))) {
            LheEvent e = events.read();
            assertEquals(0, e.index());
            assertEquals(18, e.line(), "the line of <event>, after a header whose CDATA holds <event> text");
            assertEquals(2, e.nIncoming());
            assertArrayEquals(new int[] {21, 21, 6, -6}, e.pdg());
            assertArrayEquals(new double[] {500, 0, 0, 500}, e.momenta()[0]);
            assertArrayEquals(new double[] {460.5, 100, 200, 300}, e.momenta()[2]);
            assertEquals("21 21 > 6 -6", e.describe());
            LheEvent second = events.read();
            assertEquals(1, second.index());
            assertEquals(18 + 10, second.line());
            assertNull(events.read());
            assertNull(events.read(), "stays at the end");
        }
    }

    @Test
    void intermediateAndDocumentationLinesAreLeftOut() {
        String text = Lhe.file(event(
                particle(2, -1, 0, 0, 500, 500),
                particle(23, 2, 0, 0, 0, 1000),        // s-channel Z
                particle(-2, -1, 0, 0, -500, 500),
                particle(13, 1, 1, 2, 3, 500),
                particle(22, 3, 0, 0, 0, 0),           // documentation line
                particle(-13, 1, -1, -2, -3, 500)));
        try (LheReader events = reader(text)) {
            LheEvent e = events.read();
            assertArrayEquals(new int[] {2, -2, 13, -13}, e.pdg());
            assertEquals(2, e.nIncoming());
            assertArrayEquals(new double[] {500, -1, -2, -3}, e.momenta()[3]);
        }
    }

    @Test
    void optionalEventInformationAndFortranExponentsAreRead() {
        String text = Lhe.HEAD + """
                <event npLO=" -1 " npNLO=" 1 ">
                 2 1 +1.0e+00 9.1e+01 7.8e-03 1.18e-01
                 11 -1 0 0 0 0 0.0 0.0 4.5D+01 4.5D+01 0.0 0.0 9.0
                 -11 1 0 0 0 0 0.0 0.0 -0.45d2 45 0.0 0.0 9.0
                #aMCatNLO 2 5 3 3 1 0.4E+02 0.4E+02 9 0 0 0.99E+00 0.6E+00 0.1E+01 0.0E+00 0.0E+00
                <rwgt>
                <wgt id='1001'> +1.0e+00 </wgt>
                </rwgt>
                </event>
                """ + Lhe.TAIL;
        try (LheReader events = reader(text)) {
            LheEvent e = events.read();
            assertArrayEquals(new double[] {45, 0, 0, 45}, e.momenta()[0]);
            assertArrayEquals(new double[] {45, 0, 0, -45}, e.momenta()[1]);
            assertNull(events.read());
        }
    }

    @Test
    void gzippedFileIsRecognisedByItsContentNotItsName(@TempDir Path dir) throws IOException {
        Path misnamed = dir.resolve("events.lhe");
        Files.write(misnamed, Lhe.gzip(Lhe.file(TTBAR)));
        try (LheReader events = LheReader.open(misnamed)) {
            assertArrayEquals(new int[] {21, 21, 6, -6}, events.read().pdg());
            assertNull(events.read());
        }
        Path plain = dir.resolve("plain.lhe.gz");
        Files.writeString(plain, Lhe.file(TTBAR));
        try (LheReader events = LheReader.open(plain)) {
            assertEquals(18, events.read().line());
        }
    }

    @Test
    void corruptGzipIsAnInputError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("events.lhe.gz");
        byte[] gz = Lhe.gzip(Lhe.file(TTBAR, TTBAR, TTBAR));
        Files.write(file, java.util.Arrays.copyOf(gz, gz.length / 2));
        try (LheReader events = LheReader.open(file)) {
            InputException e = assertThrows(InputException.class, () -> {
                while (events.read() != null) {
                    // read to the error
                }
            });
            assertEquals(true, e.getMessage().startsWith(file + ":"), e.getMessage());
        }
    }

    @Test
    void truncatedFileIsReportedNotTakenForASmallerSample() {
        assertEquals("events.lhe:37: file ends without </LesHouchesEvents>, after 2 events (truncated?)",
                message(Lhe.HEAD + TTBAR + TTBAR));
        String cut = Lhe.HEAD + TTBAR.substring(0, TTBAR.indexOf("<mgrwt>"));
        assertEquals("events.lhe:23: event index 0: file ends inside the event (truncated?)", message(cut));
    }

    @Test
    void notAnEventFile() {
        assertEquals("events.lhe:1: not a Les Houches event file: expected <LesHouchesEvents>, found '{\"points\": []}'",
                message("{\"points\": []}\n"));
        assertEquals("events.lhe: not a Les Houches event file: no <LesHouchesEvents> tag", message(""));
        assertEquals("events.lhe:3: not a Les Houches event file: no <LesHouchesEvents> tag",
                message("<?xml version=\"1.0\"?>\n<!-- a\ncomment -->\n"));
    }

    @Test
    void particleCountMustMatchNup() {
        String tooFew = TTBAR.replaceFirst(" 4 ", " 5 ");
        assertEquals("events.lhe:24: event index 0: event has 4 particle lines, NUP says 5", message(Lhe.file(tooFew)));
        String tooMany = TTBAR.replaceFirst(" 4 ", " 3 ");
        assertEquals("events.lhe:23: event index 0: more particle lines than NUP = 3", message(Lhe.file(tooMany)));
    }

    @Test
    void badFieldsNameTheEventAndLine() {
        String shortLine = TTBAR.replace(" +5.3950000000e+02 +0.0000000000e+00 0.0000e+00 9.0000e+00", " +5.3950000000e+02");
        assertEquals("events.lhe:33: event index 1: particle line 4: has 10 fields, expected 13 (IDUP ISTUP MOTHUP1"
                + " MOTHUP2 ICOLUP1 ICOLUP2 px py pz E m VTIMUP SPINUP)", message(Lhe.file(TTBAR, shortLine)));
        String nan = TTBAR.replace("+4.6050000000e+02", "NaN");
        assertEquals("events.lhe:22: event index 0: particle line 3: E: value NaN is not finite", message(Lhe.file(nan)));
        String word = TTBAR.replace("+1.0000000000e+02", "abc");
        assertEquals("events.lhe:22: event index 0: particle line 3: px: 'abc' is not a number", message(Lhe.file(word)));
        String id = TTBAR.replaceFirst("       6 ", "     6.0 ");
        assertEquals("events.lhe:22: event index 0: particle line 3: IDUP: '6.0' is not an integer", message(Lhe.file(id)));
        assertEquals("events.lhe:19: event index 0: NUP is 0, expected at least 1",
                message(Lhe.file(TTBAR.replaceFirst(" 4 ", " 0 "))));
    }

    @Test
    void eventStructureErrors() {
        assertEquals("events.lhe:19: event index 0: expected the event line NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP,"
                + " found '</event>'", message(Lhe.file("<event>\n</event>\n")));
        String unclosed = TTBAR.replace("</event>\n", "");
        assertEquals("events.lhe:27: event index 0: event not closed by </event>", message(Lhe.file(unclosed, TTBAR)));
        assertEquals("events.lhe:29: content after </LesHouchesEvents>: '<event>'", message(Lhe.file(TTBAR) + TTBAR));
        assertEquals("events.lhe:18: </event> without <event>", message(Lhe.file("</event>\n")));
    }

    @Test
    void eventGroupsAreLookedInto() {
        try (LheReader events = reader(Lhe.file("<eventgroup nreal=\"2\">\n" + TTBAR + TTBAR + "</eventgroup>\n"))) {
            assertEquals(0, events.read().index());
            assertEquals(1, events.read().index());
            assertNull(events.read());
        }
    }
}
