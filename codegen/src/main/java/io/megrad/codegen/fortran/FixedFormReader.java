package io.megrad.codegen.fortran;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns fixed-form Fortran files into logical lines.
 *
 * <p>MadGraph compiles with {@code -ffixed-line-length-132} and writes continuation markers such as
 * {@code $}, {@code &}, digits or other characters in column 6, so any non-blank, non-zero column-6
 * character continues the previous line and nothing is cut at column 72. Tab-format lines (a tab in
 * the label field, optionally followed by a digit marking a continuation) are accepted as gfortran
 * does. INCLUDE lines are replaced by the included file's lines, resolved against the directory of
 * the including file (as written, so symbolic links resolve exactly as the compiler sees them) and
 * then against the extra search directories.
 */
public final class FixedFormReader {
    private static final Pattern INCLUDE = Pattern.compile("INCLUDE\\s*'([^']*)'\\s*", Pattern.CASE_INSENSITIVE);
    private static final int MAX_INCLUDE_DEPTH = 20;

    private final List<Path> searchPath;

    public FixedFormReader(List<Path> searchPath) {
        this.searchPath = List.copyOf(searchPath);
    }

    /** Reads a file and every file it includes. */
    public List<LogicalLine> read(Path file) {
        List<LogicalLine> out = new ArrayList<>();
        read(file, out, 0, null);
        return out;
    }

    /** Reads Fortran text that does not live in a file (tests, synthesized units). */
    public List<LogicalLine> readText(String text, String name, Path directory) {
        List<LogicalLine> out = new ArrayList<>();
        process(List.of(text.split("\r?\n", -1)), name, directory, out, 0);
        return out;
    }

    private void read(Path file, List<LogicalLine> out, int depth, SourcePosition includedFrom) {
        List<String> raw;
        try {
            byte[] bytes = Files.readAllBytes(file);
            raw = List.of(new String(bytes, StandardCharsets.ISO_8859_1).split("\r?\n", -1));
        } catch (IOException e) {
            String why = Files.isSymbolicLink(file) ? "dangling symbolic link" : "cannot read file";
            throw new InputException(includedFrom, why + " " + file);
        }
        Path dir = file.toAbsolutePath().getParent();
        process(raw, file.toString(), dir, out, depth);
    }

    private void process(List<String> raw, String name, Path dir, List<LogicalLine> out, int depth) {
        StringBuilder current = null;
        int currentLabel = 0;
        int currentLine = 0;
        for (int i = 0; i < raw.size(); i++) {
            String line = raw.get(i);
            if (isComment(line)) {
                continue;
            }
            Card card = splitCard(line);
            if (card == null) {
                continue;
            }
            String body = stripInlineComment(card.body());
            if (card.continuation()) {
                if (current == null) {
                    throw new InputException(SourcePosition.of(name, i + 1), "continuation line without a statement to continue");
                }
                current.append(body);
                continue;
            }
            if (current != null) {
                emit(current.toString(), currentLabel, SourcePosition.of(name, currentLine), dir, out, depth);
            }
            current = new StringBuilder(body);
            currentLabel = card.label();
            currentLine = i + 1;
        }
        if (current != null) {
            emit(current.toString(), currentLabel, SourcePosition.of(name, currentLine), dir, out, depth);
        }
    }

    private void emit(String text, int label, SourcePosition pos, Path dir, List<LogicalLine> out, int depth) {
        String normalized = normalize(text).strip();
        if (normalized.isEmpty()) {
            return;
        }
        Matcher m = INCLUDE.matcher(normalized);
        if (m.matches()) {
            String target = originalIncludeName(text);
            if (depth >= MAX_INCLUDE_DEPTH) {
                throw new InputException(pos, "INCLUDE nested more than " + MAX_INCLUDE_DEPTH + " deep (recursive include of '" + target + "'?)");
            }
            read(resolveInclude(target, dir, pos), out, depth + 1, pos);
            return;
        }
        out.add(new LogicalLine(normalized, label, pos));
    }

    private static String originalIncludeName(String text) {
        int a = text.indexOf('\'');
        int b = text.indexOf('\'', a + 1);
        return text.substring(a + 1, b).strip();
    }

    private Path resolveInclude(String target, Path dir, SourcePosition pos) {
        List<Path> candidates = new ArrayList<>();
        if (dir != null) {
            candidates.add(dir.resolve(target));
        }
        for (Path p : searchPath) {
            candidates.add(p.resolve(target));
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        for (Path c : candidates) {
            if (Files.isSymbolicLink(c)) {
                throw new InputException(pos, "INCLUDE '" + target + "' is a dangling symbolic link: " + c);
            }
        }
        throw new InputException(pos, "INCLUDE '" + target + "' not found (looked in " + candidates + ")");
    }

    static boolean isComment(String line) {
        if (line.isEmpty()) {
            return true;
        }
        char c = line.charAt(0);
        if (c == 'C' || c == 'c' || c == '*' || c == '!' || c == 'D' || c == 'd') {
            return true;
        }
        String s = line.strip();
        return s.isEmpty() || s.startsWith("!");
    }

    private record Card(int label, boolean continuation, String body) {
    }

    private static Card splitCard(String line) {
        // Tab format: a tab within the label field ends it; a digit 1-9 right after marks continuation.
        int tab = line.indexOf('\t');
        if (tab >= 0 && tab < 6 && isLabel(line.substring(0, tab))) {
            int label = parseLabel(line.substring(0, tab));
            String rest = line.substring(tab + 1);
            if (!rest.isEmpty() && rest.charAt(0) >= '1' && rest.charAt(0) <= '9') {
                return new Card(0, true, rest.substring(1));
            }
            return new Card(label, false, rest);
        }
        String padded = line.length() < 6 ? (line + "      ").substring(0, 6) : line;
        String labelField = padded.substring(0, 5);
        char col6 = padded.charAt(5);
        String body = padded.length() > 6 ? padded.substring(6) : "";
        body = body.replace('\t', ' ');
        if (col6 != ' ' && col6 != '0') {
            return new Card(0, true, body);
        }
        if (!labelField.isBlank() && !isLabel(labelField)) {
            // Free text in columns 1-5 of a non-comment line: treat as statement text (lenient).
            return new Card(0, false, line.replace('\t', ' '));
        }
        return new Card(parseLabel(labelField), false, body);
    }

    private static boolean isLabel(String field) {
        String s = field.strip();
        if (s.isEmpty()) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int parseLabel(String field) {
        String s = field.strip();
        return s.isEmpty() ? 0 : Integer.parseInt(s);
    }

    /** Removes a trailing {@code !} comment that is not inside a string literal. */
    static String stripInlineComment(String body) {
        boolean inString = false;
        char quote = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == quote) {
                    inString = false;
                }
            } else if (c == '\'' || c == '"') {
                inString = true;
                quote = c;
            } else if (c == '!') {
                return body.substring(0, i);
            }
        }
        return body;
    }

    /** Upper-cases everything outside string literals; Fortran names are case-insensitive. */
    static String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        boolean inString = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                sb.append(c);
                if (c == quote) {
                    inString = false;
                }
            } else if (c == '\'' || c == '"') {
                inString = true;
                quote = c;
                sb.append(c);
            } else if (c == '\t') {
                sb.append(' ');
            } else {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }
}
