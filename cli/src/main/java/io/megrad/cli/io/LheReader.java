package io.megrad.cli.io;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the events of a Les Houches event file (hep-ph/0609017) one at a time, so a file of any
 * size is read in constant memory. Gzipped files are recognised by their first bytes, whatever
 * their name.
 *
 * <pre>{@code
 * try (LheReader events = LheReader.open(Path.of("events.lhe.gz"))) {
 *     for (LheEvent e; (e = events.read()) != null; ) {
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Of each {@code <event>} block the first line ({@code NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP})
 * gives the number of particle lines that follow ({@code IDUP ISTUP MOTHUP1 MOTHUP2 ICOLUP1 ICOLUP2
 * PUP1..PUP5 VTIMUP SPINUP}, 13 fields); whatever comes after them up to {@code </event>}
 * (reweighting blocks, {@code #} comments) is skipped, as are the header and init blocks.
 *
 * <p>The reader is strict about what it uses, so that a damaged file is reported instead of read
 * as different physics: the {@code <LesHouchesEvents>} root first, the particle count, 13 fields
 * a particle line, finite momenta, every event closed, and the closing root tag at the end (a file
 * cut short by an interrupted generator is reported, not taken for a smaller sample). Errors are
 * {@link InputException}s naming the file, the line and the 0-based event index.
 */
public final class LheReader implements Closeable {
    private static final String[] PUP = {"px", "py", "pz", "E"};
    private static final int FIELDS = 13;
    private static final int SHOWN = 60;
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private final String sourceName;
    private final BufferedReader reader;
    private int line;
    private long index;
    private boolean sawRoot;
    private boolean sawEnd;

    /** Reads {@code reader}, called {@code sourceName} in messages; the reader is closed with this one. */
    LheReader(String sourceName, BufferedReader reader) {
        this.sourceName = sourceName;
        this.reader = reader;
    }

    /**
     * Opens an event file, plain or gzipped.
     *
     * @throws InputException naming the path when the file is missing, unreadable or not gzip
     *     despite gzip's first bytes
     */
    public static LheReader open(Path file) {
        return new LheReader(file.toString(), new BufferedReader(new InputStreamReader(
                PointSources.decompressed(PointSources.openFile(file, "event file"), file.toString()), StandardCharsets.UTF_8),
                1 << 16));
    }

    /** The file name used in messages. */
    public String sourceName() {
        return sourceName;
    }

    /**
     * The next event, or null after the last one.
     *
     * @throws InputException when the file is malformed or cannot be read
     */
    public LheEvent read() {
        try {
            return readEvent();
        } catch (IOException e) {
            throw new InputException(SourcePosition.of(sourceName, line), "cannot read: " + e.getMessage());
        }
    }

    private LheEvent readEvent() throws IOException {
        boolean inBlock = false; // a CDATA section or XML comment, which may hold any text
        String closing = null;
        for (String text; (text = nextLine()) != null; ) {
            String t = text.strip();
            if (inBlock) {
                inBlock = !t.contains(closing);
                continue;
            }
            if (t.isEmpty()) {
                continue;
            }
            if (!sawRoot) {
                if (isTag(t, "<LesHouchesEvents")) {
                    sawRoot = true;
                } else if (t.startsWith("<!--") || t.startsWith("<?xml")) {
                    closing = t.startsWith("<!--") ? "-->" : "?>";
                    inBlock = !t.contains(closing);
                } else {
                    throw new InputException(position(), "not a Les Houches event file: expected <LesHouchesEvents>, found '"
                            + shorten(t) + "'");
                }
                continue;
            }
            if (sawEnd) {
                throw new InputException(position(), "content after </LesHouchesEvents>: '" + shorten(t) + "'");
            }
            if (isTag(t, "<event")) {
                return readBody(line, index++);
            }
            if (t.startsWith("</LesHouchesEvents")) {
                sawEnd = true;
            } else if (isTag(t, "</event")) {
                throw new InputException(position(), "</event> without <event>");
            } else {
                for (String[] block : new String[][] {{"<![CDATA[", "]]>"}, {"<!--", "-->"}}) {
                    int open = t.lastIndexOf(block[0]);
                    if (open >= 0 && t.indexOf(block[1], open) < 0) {
                        inBlock = true;
                        closing = block[1];
                    }
                }
            }
        }
        if (!sawRoot) {
            throw new InputException(position(), "not a Les Houches event file: no <LesHouchesEvents> tag");
        }
        if (!sawEnd) {
            throw new InputException(position(), "file ends without </LesHouchesEvents>, after " + index
                    + " events (truncated?)");
        }
        return null;
    }

    private LheEvent readBody(int eventLine, long eventIndex) throws IOException {
        String first = nextContentLine(eventIndex);
        if (first.startsWith("<")) {
            throw error(eventIndex, "expected the event line NUP IDPRUP XWGTUP SCALUP AQEDUP AQCDUP, found '"
                    + shorten(first) + "'");
        }
        String[] header = fields(first);
        if (header.length != 6) {
            throw error(eventIndex, "event line has " + header.length + " fields, expected 6 (NUP IDPRUP XWGTUP SCALUP"
                    + " AQEDUP AQCDUP)");
        }
        int nup = integer(eventIndex, "NUP", header[0]);
        if (nup < 1) {
            throw error(eventIndex, "NUP is " + nup + ", expected at least 1");
        }
        // Incoming particles first, each group in file order, whatever order the file mixes them in.
        // Not sized by NUP: a damaged NUP must not allocate.
        List<Integer> inCodes = new ArrayList<>(2);
        List<Integer> outCodes = new ArrayList<>();
        List<double[]> inMomenta = new ArrayList<>(2);
        List<double[]> outMomenta = new ArrayList<>();
        for (int particle = 1; particle <= nup; particle++) {
            String text = nextContentLine(eventIndex);
            if (text.startsWith("<")) {
                throw error(eventIndex, "event has " + (particle - 1) + " particle lines, NUP says " + nup);
            }
            String[] f = fields(text);
            String where = "particle line " + particle + ": ";
            if (f.length != FIELDS) {
                throw error(eventIndex, where + "has " + f.length + " fields, expected " + FIELDS
                        + " (IDUP ISTUP MOTHUP1 MOTHUP2 ICOLUP1 ICOLUP2 px py pz E m VTIMUP SPINUP)");
            }
            int id = integer(eventIndex, where + "IDUP", f[0]);
            int status = integer(eventIndex, where + "ISTUP", f[1]);
            if (status != -1 && status != 1) {
                continue; // intermediate (2), space-like (-2), documentation (3) and the like
            }
            double[] p = new double[4];
            for (int k = 0; k < 4; k++) {
                p[(k + 1) % 4] = number(eventIndex, where + PUP[k], f[6 + k]); // px py pz E -> E px py pz
            }
            (status == -1 ? inCodes : outCodes).add(id);
            (status == -1 ? inMomenta : outMomenta).add(p);
        }
        skipToEventEnd(eventIndex, nup);
        int nIncoming = inCodes.size();
        int[] pdg = new int[nIncoming + outCodes.size()];
        double[][] momenta = new double[pdg.length][];
        for (int i = 0; i < pdg.length; i++) {
            pdg[i] = i < nIncoming ? inCodes.get(i) : outCodes.get(i - nIncoming);
            momenta[i] = i < nIncoming ? inMomenta.get(i) : outMomenta.get(i - nIncoming);
        }
        return new LheEvent(eventIndex, eventLine, nIncoming, pdg, momenta);
    }

    /**
     * Skips the optional lines after the particles. One that reads as a particle line means NUP is
     * too small, and dropping that particle would change the process, so it is an error.
     */
    private void skipToEventEnd(long eventIndex, int nup) throws IOException {
        for (String text; (text = nextLine()) != null; ) {
            String t = text.strip();
            if (isTag(t, "</event")) {
                return;
            }
            if (isTag(t, "<event") || t.startsWith("</LesHouchesEvents")) {
                throw error(eventIndex, "event not closed by </event>");
            }
            if (looksLikeParticleLine(t)) {
                throw error(eventIndex, "more particle lines than NUP = " + nup);
            }
        }
        throw error(eventIndex, "file ends inside the event (truncated?)");
    }

    private static boolean looksLikeParticleLine(String t) {
        if (t.startsWith("#") || t.startsWith("<")) {
            return false;
        }
        String[] f = fields(t);
        return f.length == FIELDS && INTEGER.matcher(f[0]).matches() && INTEGER.matcher(f[1]).matches();
    }

    /** The next non-blank line inside an event; an end of file there is an error. */
    private String nextContentLine(long eventIndex) throws IOException {
        for (String text; (text = nextLine()) != null; ) {
            String t = text.strip();
            if (!t.isEmpty()) {
                return t;
            }
        }
        throw error(eventIndex, "file ends inside the event (truncated?)");
    }

    private String nextLine() throws IOException {
        String text = reader.readLine();
        if (text != null) {
            line++;
            if (line == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
        }
        return text;
    }

    /** {@code <event>} or {@code <event attr=...>}, not {@code <eventgroup>}. */
    private static boolean isTag(String t, String tag) {
        if (!t.startsWith(tag)) {
            return false;
        }
        if (t.length() == tag.length()) {
            return true;
        }
        char next = t.charAt(tag.length());
        return next == '>' || next == '/' || Character.isWhitespace(next);
    }

    /** The blank-separated fields of a stripped line; by hand, as a regex split per line costs on multi-GB files. */
    private static String[] fields(String t) {
        List<String> fields = new ArrayList<>(FIELDS);
        int i = 0;
        int n = t.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(t.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(t.charAt(i))) {
                i++;
            }
            if (i > start) {
                fields.add(t.substring(start, i));
            }
        }
        return fields.toArray(String[]::new);
    }

    private int integer(long eventIndex, String name, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw error(eventIndex, name + ": '" + shorten(text) + "' is not an integer");
        }
    }

    private double number(long eventIndex, String name, String text) {
        // Fortran writers may use a D exponent (1.0D+03).
        String decimal = text.replace('d', 'e').replace('D', 'e');
        if (!Numbers.looksNumeric(decimal)) {
            throw error(eventIndex, name + ": '" + shorten(text) + "' is not a number");
        }
        double value = Numbers.parse(decimal);
        if (!Double.isFinite(value)) {
            throw error(eventIndex, name + ": value " + text + " is not finite");
        }
        return value;
    }

    private InputException error(long eventIndex, String detail) {
        return new InputException(position(), "event index " + eventIndex + ": " + detail);
    }

    private SourcePosition position() {
        return SourcePosition.of(sourceName, line);
    }

    private static String shorten(String text) {
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "...";
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException ignored) {
            // Reading is over; a failing close of an input cannot lose data.
        }
    }
}
