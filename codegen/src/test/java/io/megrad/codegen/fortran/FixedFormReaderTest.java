package io.megrad.codegen.fortran;

import io.megrad.runtime.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FixedFormReaderTest {
    private static List<String> texts(String src) {
        return new FixedFormReader(List.of()).readText(src, "t.f", null).stream().map(LogicalLine::text).toList();
    }

    @Test
    void anyNonBlankNonZeroColumnSixCharacterContinues() {
        String src = String.join("\n",
                "      X = 1",
                "     $ + 2",
                "     & + 3",
                "     1 + 4",
                "     * + 5",
                "      Y = 0");
        assertEquals(List.of("X = 1 + 2 + 3 + 4 + 5", "Y = 0"), texts(src));
    }

    @Test
    void zeroInColumnSixStartsANewStatement() {
        assertEquals(List.of("X = 1", "Y = 2"), texts("      X = 1\n     0Y = 2"));
    }

    @Test
    void commentAndBlankLinesAreDropped() {
        String src = String.join("\n",
                "C upper comment", "c lower comment", "* star comment", "! bang comment",
                "", "     ", "      X = 1", "   ! indented bang comment");
        assertEquals(List.of("X = 1"), texts(src));
    }

    @Test
    void inlineBangCommentIsStrippedOutsideStringsOnly() {
        assertEquals(List.of("X = 1"), texts("      X = 1 ! note"));
        assertEquals(List.of("S = 'a!b'"), texts("      s = 'a!b' ! note"));
    }

    @Test
    void lettersAreUpperCasedOutsideStrings() {
        assertEquals(List.of("CALL F('mdl_MT')"), texts("      call f('mdl_MT')"));
    }

    @Test
    void tabFormLinesAndTabDigitContinuation() {
        List<LogicalLine> lines = new FixedFormReader(List.of()).readText("10\tX = 1\n\t1 + 2\n\tY = 3", "t.f", null);
        assertEquals("X = 1 + 2", lines.get(0).text());
        assertEquals(10, lines.get(0).label());
        assertEquals("Y = 3", lines.get(1).text());
    }

    @Test
    void linesLongerThanColumn72AreKeptWhole() {
        String line = "      X = 1" + " ".repeat(70) + "+ 2";
        assertTrue(line.length() > 72);
        assertEquals("X = 1" + " ".repeat(70) + "+ 2", texts(line).get(0));
    }

    @Test
    void labelAndPositionAreThoseOfTheFirstCard() {
        LogicalLine l = new FixedFormReader(List.of()).readText("C c\n   20 CONTINUE", "t.f", null).get(0);
        assertEquals(20, l.label());
        assertEquals("t.f:2", l.position().toString());
    }

    @Test
    void includeWithRelativePathIsExpandedInPlace(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("x.inc"), "      INTEGER N\n      PARAMETER (N=3)\n");
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path f = sub.resolve("a.f");
        Files.writeString(f, "      X = 1\n      include '../x.inc'\n      Y = 2\n");
        List<LogicalLine> lines = new FixedFormReader(List.of()).read(f);
        assertEquals(List.of("X = 1", "INTEGER N", "PARAMETER (N=3)", "Y = 2"), lines.stream().map(LogicalLine::text).toList());
        assertTrue(lines.get(1).position().file().endsWith("x.inc"));
    }

    @Test
    void includeIsFoundOnTheSearchPath(@TempDir Path dir) throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("y.inc"), "      Z = 0\n");
        Path f = dir.resolve("a.f");
        Files.writeString(f, "      INCLUDE 'y.inc'\n");
        assertEquals("Z = 0", new FixedFormReader(List.of(lib)).read(f).get(0).text());
    }

    @Test
    void missingIncludeNamesTheIncludingFileAndLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("a.f");
        Files.writeString(f, "C comment\n      X = 1\n      INCLUDE 'nope.inc'\n");
        InputException e = assertThrows(InputException.class, () -> new FixedFormReader(List.of()).read(f));
        assertTrue(e.getMessage().contains(f + ":3"), e.getMessage());
        assertTrue(e.getMessage().contains("nope.inc"), e.getMessage());
    }

    @Test
    void danglingSymlinkIncludeIsReportedAsDangling(@TempDir Path dir) throws IOException {
        Files.createSymbolicLink(dir.resolve("gone.inc"), dir.resolve("does-not-exist.inc"));
        Path f = dir.resolve("a.f");
        Files.writeString(f, "      INCLUDE 'gone.inc'\n");
        InputException e = assertThrows(InputException.class, () -> new FixedFormReader(List.of()).read(f));
        assertTrue(e.getMessage().contains("dangling"), e.getMessage());
        assertTrue(e.getMessage().contains(f + ":1"), e.getMessage());
    }

    @Test
    void continuationWithoutAStatementIsAnInputError() {
        InputException e = assertThrows(InputException.class, () -> texts("     $ + 2"));
        assertTrue(e.getMessage().contains("t.f:1"), e.getMessage());
    }
}
