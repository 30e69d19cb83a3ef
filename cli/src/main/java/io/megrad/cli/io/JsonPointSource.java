package io.megrad.cli.io;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import java.io.EOFException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points from {@code {"points": [[[E,px,py,pz], ...one per external particle], ...]}}, read with a
 * streaming {@link JsonReader}: only the current point is in memory. Other members of the top-level
 * object are skipped.
 *
 * <p>The reader is lenient so that the bare {@code NaN} and {@code Infinity} tokens Python's
 * {@code json.dump} writes reach the value check and get a message naming the point, instead of
 * a generic syntax error; every token is still checked for the kind this format expects.
 */
final class JsonPointSource extends LookaheadPointSource {
    // JsonReader has no public line accessor; its toString() carries "at line N column M".
    private static final Pattern LOCATION = Pattern.compile(" at line (\\d+) column ");

    private final JsonReader json;
    private final int nExternal;
    private long index;
    private boolean started;

    JsonPointSource(String sourceName, Reader reader, int nExternal) {
        super(sourceName, reader);
        this.nExternal = checkedExternal(nExternal);
        this.json = new JsonReader(reader);
        json.setStrictness(Strictness.LENIENT);
    }

    @Override
    Point readNext() throws IOException {
        try {
            if (!started) {
                started = true;
                openPointsArray();
            }
            if (!json.hasNext()) {
                finishDocument();
                return null;
            }
            return readPoint(index++);
        } catch (MalformedJsonException | EOFException | IllegalStateException e) {
            // Syntax errors, truncated input and unexpected tokens. gson's message carries the
            // line, column and JSON path; its second line is a link to gson's troubleshooting guide.
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new InputException(position(), "malformed JSON: " + message);
        }
    }

    private void openPointsArray() throws IOException {
        expect(JsonToken.BEGIN_OBJECT, "expected a JSON object {\"points\": [...]}");
        json.beginObject();
        while (json.hasNext()) {
            if (json.nextName().equals("points")) {
                expect(JsonToken.BEGIN_ARRAY, "\"points\" must be an array of points");
                json.beginArray();
                return;
            }
            json.skipValue();
        }
        throw new InputException(position(), "no \"points\" array in the JSON object");
    }

    private void finishDocument() throws IOException {
        json.endArray();
        while (json.hasNext()) {
            if (json.nextName().equals("points")) {
                throw new InputException(position(), "a second \"points\" array");
            }
            json.skipValue();
        }
        json.endObject();
        if (json.peek() != JsonToken.END_DOCUMENT) {
            throw new InputException(position(), "unexpected content after the JSON object");
        }
    }

    private Point readPoint(long pointIndex) throws IOException {
        JsonToken token = json.peek(); // first, so that line() is the line of the token
        int line = line();
        if (token != JsonToken.BEGIN_ARRAY) {
            throw error(line, pointIndex, "expected an array of momenta, found " + describe(token));
        }
        json.beginArray();
        List<double[]> momenta = new ArrayList<>(nExternal);
        while (json.hasNext()) {
            momenta.add(readMomentum(pointIndex, momenta.size()));
        }
        json.endArray();
        if (momenta.size() != nExternal) {
            fail(error(line, pointIndex, "has " + momenta.size() + " momenta, expected " + nExternal
                    + " (one per external particle)"));
        }
        return new Point(pointIndex, line, momenta.toArray(double[][]::new));
    }

    private double[] readMomentum(long pointIndex, int particle) throws IOException {
        JsonToken token = json.peek();
        String where = "particle " + (particle + 1) + ": ";
        if (token != JsonToken.BEGIN_ARRAY) {
            throw error(line(), pointIndex, where + "expected [E,px,py,pz], found " + describe(token));
        }
        json.beginArray();
        double[] p = new double[4];
        int count = 0;
        while (json.hasNext()) {
            if (count < 4) {
                p[count] = readComponent(pointIndex, particle, count);
            } else {
                json.skipValue(); // only counted, for the message
            }
            count++;
        }
        json.endArray();
        if (count != 4) {
            // The line of the closing bracket: finding the line costs, so it is not kept for every
            // particle; a momentum rarely spans lines.
            fail(error(line(), pointIndex, where + "momentum has " + count + " components, expected 4 (E,px,py,pz)"));
        }
        return p;
    }

    private double readComponent(long pointIndex, int particle, int mu) throws IOException {
        JsonToken token = json.peek();
        if (token == JsonToken.NUMBER) {
            return component(this::line, pointIndex, particle, mu, json.nextString());
        }
        if (token == JsonToken.STRING) {
            // Unquoted NaN/Infinity (as Python writes them) arrive as strings too and are reported
            // as not finite; any other string, even "1.5", is not a JSON number.
            int line = line();
            String text = json.nextString();
            return component(() -> line, pointIndex, particle, mu, isNonFiniteWord(text) ? text : "\"" + text + "\"");
        }
        InputException e = error(line(), pointIndex, componentName(particle, mu) + ": expected a number, found " + describe(token));
        json.skipValue();
        fail(e);
        return Double.NaN;
    }

    private static boolean isNonFiniteWord(String text) {
        return Numbers.looksNumeric(text) && !Double.isFinite(Numbers.parse(text));
    }

    private void expect(JsonToken token, String message) throws IOException {
        if (json.peek() != token) {
            throw new InputException(position(), message + ", found " + describe(json.peek()));
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case BEGIN_ARRAY -> "an array";
            case BEGIN_OBJECT -> "an object";
            case NUMBER -> "a number";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case END_DOCUMENT -> "the end of the input";
            default -> token.toString();
        };
    }

    @Override
    int currentLine() {
        return line();
    }

    private int line() {
        Matcher m = LOCATION.matcher(json.toString());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private SourcePosition position() {
        return SourcePosition.of(sourceName(), line());
    }
}
