package io.megrad.cli.io;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import java.io.BufferedReader;
import java.io.IOException;

/**
 * Points as CSV rows of {@code 4·n} numbers: {@code E,px,py,pz} of particle 1, then particle 2, ...
 * Lines starting with {@code #} and blank lines are skipped. The first other row is a header, and
 * skipped, when none of its fields is a number; a first row that mixes numbers and text, or holds
 * NaN or an infinity, is read as a point and reported, not taken for a header.
 *
 * <pre>{@code
 * # gg > t t~, sqrt(s) = 1000
 * E1,px1,py1,pz1,E2,px2,py2,pz2,...
 * 500,0,0,500,500,0,0,-500,...
 * }</pre>
 */
final class CsvPointSource extends LookaheadPointSource {
    private final BufferedReader reader;
    private final int nExternal;
    private int line;
    private long index;
    private boolean pastHeader;

    CsvPointSource(String sourceName, BufferedReader reader, int nExternal) {
        super(sourceName, reader);
        this.nExternal = checkedExternal(nExternal);
        this.reader = reader;
    }

    @Override
    Point readNext() throws IOException {
        String text;
        while ((text = reader.readLine()) != null) {
            line++;
            if (line == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1); // a byte-order mark, as spreadsheet programs write
            }
            String row = text.strip();
            if (row.isEmpty() || row.startsWith("#")) {
                continue;
            }
            String[] fields = row.split(",", -1);
            if (!pastHeader) {
                pastHeader = true;
                if (isHeader(fields)) {
                    continue;
                }
            }
            return point(fields);
        }
        return null;
    }

    @Override
    int currentLine() {
        return line;
    }

    // Only a row of names is a header: a row mixing numbers and text is a broken data row, and
    // skipping it silently would shift every point index after it.
    private boolean isHeader(String[] fields) {
        for (String field : fields) {
            if (Numbers.looksNumeric(field.strip())) {
                return false;
            }
        }
        if (fields.length != 4 * nExternal) {
            throw new InputException(SourcePosition.of(sourceName(), line), "header has " + fields.length
                    + " columns, expected " + 4 * nExternal + " (E,px,py,pz for each of "
                    + nExternal + " external particles)");
        }
        return true;
    }

    private Point point(String[] fields) {
        long pointIndex = index++;
        if (fields.length != 4 * nExternal) {
            String detail = "has " + fields.length + " values, expected " + 4 * nExternal
                    + " (E,px,py,pz for each of " + nExternal + " external particles)";
            fail(error(line, pointIndex, detail));
            return new Point(pointIndex, line, new double[nExternal][4]);
        }
        double[][] momenta = new double[nExternal][4];
        for (int i = 0; i < fields.length; i++) {
            momenta[i / 4][i % 4] = component(() -> line, pointIndex, i / 4, i % 4, fields[i].strip());
        }
        return new Point(pointIndex, line, momenta);
    }
}
