package io.megrad.runtime.slha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParamCardTest {
    private static final String CARD = """
            ######################################################################
            ## PARAM_CARD (comment header)                                    ####
            ######################################################################
            Block mass
                5 4.700000e+00 # MB
                6 1.730000e+02 # MT
               23 9.118800E+01
            # a comment line inside a block
              25 1.25D+02 # Fortran exponent
              24 8.0419d1

            BLOCK SMINPUTS   # with a comment after the name
                1 1.325070e+02 # aEWM1
                3 .118 # aS
            block nmix Q= 4.6e+02
              1 1 9.8e-01 # NMIX11
              1 2 -5.0e-01 # NMIX12
            BLOCK GAUGE Q=4.6D2
              1 3.6e-01
            BLOCK ALPHA   # value-only block
                 -1.1e-01 # alpha
            DECAY  6   1.491500e+00 # WT
            #          BR         NDA      ID1       ID2
                1.000000e+00   2    5  24 # BR(t -> b w+)
            DECAY  23 2.441404e+00 # WZ
                0.5   2   -11  11
                0.5   2   -13  13
            Decay 25 6.382339e-03
            Block QNUMBERS 9000006  # h1
                    1 0  # 3 times electric charge
                    2 1  # number of spin states (2S+1)
            BLOCK SPINFO
                 1   SOFTSUSY   # text entries are not parameters
                 2   4.0.1
            """;

    private final ParamCard card = ParamCard.parse(CARD, "inline.dat");

    private double value(String spec) {
        OptionalDouble value = card.value(ParamKey.parse(spec));
        assertTrue(value.isPresent(), spec + " missing");
        return value.getAsDouble();
    }

    @Test
    void readsBlockEntriesInAnyCase() {
        assertEquals(4.7, value("MASS:5"));
        assertEquals(173.0, value("mass:6"));
        assertEquals(91.188, value("MASS:23"));
        assertEquals(132.507, value("SMINPUTS:1"));
        assertEquals(0.118, value("SMINPUTS:3"));
    }

    @Test
    void readsFortranDExponentsInBothCases() {
        assertEquals(125.0, value("MASS:25"));
        assertEquals(80.419, value("MASS:24"), 1e-12);
        assertEquals(0.36, value("GAUGE:1"));
    }

    @Test
    void readsMatrixEntriesWithTwoIndices() {
        assertEquals(0.98, value("NMIX:1:1"));
        assertEquals(-0.5, value("NMIX:1:2"));
        assertFalse(card.contains(ParamKey.parse("NMIX:1")));
    }

    @Test
    void readsValueOnlyBlockAsKeyWithoutIndices() {
        assertEquals(-0.11, card.value(new ParamKey("ALPHA", List.of())).getAsDouble());
    }

    @Test
    void readsDecayWidthsAndSkipsBranchingRatios() {
        assertEquals(1.4915, value("DECAY:6"));
        assertEquals(2.441404, value("DECAY:23"));
        assertEquals(6.382339e-03, value("DECAY:25"));
        // The BR lines would otherwise have looked like entries "1 2 5 24" or "0.5 2 -11 11".
        assertTrue(card.keys().stream().filter(k -> k.block().equals("DECAY")).allMatch(k -> k.indices().size() == 1));
    }

    @Test
    void keepsQuantumNumberTablesApartByPdgCode() {
        assertEquals(0.0, value("QNUMBERS:9000006:1"));
        assertEquals(1.0, value("QNUMBERS:9000006:2"));
    }

    @Test
    void skipsTextValuedInfoBlocks() {
        assertTrue(card.keys().stream().noneMatch(k -> k.block().equals("SPINFO")));
    }

    @Test
    void listsKeysInCardOrder() {
        List<String> names = card.keys().stream().map(ParamKey::toString).toList();
        assertEquals(List.of("MASS:5", "MASS:6", "MASS:23", "MASS:25", "MASS:24", "SMINPUTS:1", "SMINPUTS:3",
                "NMIX:1:1", "NMIX:1:2", "GAUGE:1", "ALPHA", "DECAY:6", "DECAY:23", "DECAY:25",
                "QNUMBERS:9000006:1", "QNUMBERS:9000006:2"), names);
        assertThrows(UnsupportedOperationException.class, () -> card.keys().clear());
    }

    @Test
    void missingEntryIsEmptyNotZero() {
        assertTrue(card.value(ParamKey.parse("MASS:1")).isEmpty());
        assertFalse(card.contains(ParamKey.parse("MASS:1")));
        assertFalse(card.contains(ParamKey.parse("YUKAWA:6")));
    }

    @Test
    void laterDuplicateWinsAndKeepsFirstPosition() {
        ParamCard dup = ParamCard.parse("""
                BLOCK MASS
                  6 172.0
                  5 4.7
                BLOCK MASS
                  6 173.0
                DECAY 6 1.0
                DECAY 6 1.5
                """, "dup.dat");
        assertEquals(173.0, dup.value(ParamKey.parse("MASS:6")).getAsDouble());
        assertEquals(1.5, dup.value(ParamKey.parse("DECAY:6")).getAsDouble());
        assertEquals(List.of("MASS:6", "MASS:5", "DECAY:6"), dup.keys().stream().map(ParamKey::toString).toList());
        assertEquals(List.of(
                "dup.dat:5: MASS:6 repeats line 2; using the value of line 5, as MadGraph's C++ reader (SLHAReader) does",
                "dup.dat:7: DECAY:6 repeats line 6; using the value of line 7, as MadGraph's C++ reader (SLHAReader) does"),
                dup.warnings());
    }

    /** MadGraph's Fortran LHA_get_real stops at the first match, so a Fortran output's port must too. */
    @Test
    void firstDuplicateWinsForTheFortranReader() {
        ParamCard dup = ParamCard.parse("""
                BLOCK MASS
                  6 172.0
                  5 4.7
                  6 173.0
                """, "dup.dat", ParamCard.Duplicates.FIRST_WINS);
        assertEquals(172.0, dup.value(ParamKey.parse("MASS:6")).getAsDouble());
        assertEquals(List.of("MASS:6", "MASS:5"), dup.keys().stream().map(ParamKey::toString).toList());
        assertEquals(List.of("dup.dat:4: MASS:6 repeats line 2; using the value of line 2, as MadGraph's Fortran reader (LHA_get_real) does"),
                dup.warnings());
    }

    @Test
    void aCardWithoutRepeatsHasNoWarnings() {
        assertEquals(List.of(), ParamCard.parse("BLOCK MASS\n 6 173.0\n", "ok.dat").warnings());
    }

    @Test
    void withReturnsChangedCopyAndLeavesOriginalAlone() {
        ParamKey mt = ParamKey.parse("MASS:6");
        ParamCard heavier = card.with(mt, 175.0);
        assertEquals(175.0, heavier.value(mt).getAsDouble());
        assertEquals(173.0, card.value(mt).getAsDouble());
        assertEquals(card.keys(), heavier.keys());
        assertEquals(card.sourceName(), heavier.sourceName());
    }

    @Test
    void withMayAddAnEntryTheCardLacks() {
        ParamKey ymt = ParamKey.parse("YUKAWA:6");
        ParamCard added = card.with(ymt, 164.5);
        assertEquals(164.5, added.value(ymt).getAsDouble());
        assertEquals(ymt, List.copyOf(added.keys()).get(added.keys().size() - 1));
        assertFalse(card.contains(ymt));
    }

    @Test
    void acceptsWindowsLineEndingsAndTabs() {
        ParamCard crlf = ParamCard.parse("BLOCK MASS\r\n\t6\t173.0\t# MT\r\n", "crlf.dat");
        assertEquals(173.0, crlf.value(ParamKey.parse("MASS:6")).getAsDouble());
    }

    @Test
    void emptyCardHasNoEntries() {
        assertTrue(ParamCard.parse("# nothing\n\n", "empty.dat").keys().isEmpty());
    }

    // ---- errors: one line, file:line and the offending text ----

    private static InputException failure(String text) {
        return assertThrows(InputException.class, () -> ParamCard.parse(text, "bad.dat"));
    }

    @Test
    void malformedValueNamesFileLineAndText() {
        InputException e = failure("BLOCK MASS\n  5 4.7\n  6 1.73x02 # MT\n");
        assertEquals(new SourcePosition("bad.dat", 3), e.position());
        assertEquals("bad.dat:3: malformed number '1.73x02' for MASS:6", e.getMessage());
    }

    @Test
    void nanAndOverflowAreMalformedNumbers() {
        assertTrue(failure("BLOCK MASS\n 6 NaN\n").getMessage().contains("'NaN'"));
        assertTrue(failure("BLOCK MASS\n 6 1e999\n").getMessage().startsWith("bad.dat:2: malformed number '1e999'"));
        assertTrue(failure("BLOCK MASS\n 6 1.0f\n").getMessage().contains("'1.0f'"));
    }

    @Test
    void malformedIndexNamesIt() {
        InputException e = failure("BLOCK NMIX\n 1 x 0.5\n");
        assertTrue(e.getMessage().startsWith("bad.dat:2: malformed index 'x' in BLOCK NMIX"), e.getMessage());
    }

    @Test
    void entryBeforeAnyBlockNamesFileAndLine() {
        InputException e = failure("# header\n  6 1.73e2\nBLOCK MASS\n");
        assertEquals("bad.dat:2: entry '6 1.73e2' before any BLOCK or DECAY line", e.getMessage());
    }

    @Test
    void malformedDecayLines() {
        assertEquals("bad.dat:1: malformed number '1,49' for width of DECAY 6", failure("DECAY 6 1,49\n").getMessage());
        assertEquals("bad.dat:1: malformed PDG code 't' in DECAY line", failure("DECAY t 1.49\n").getMessage());
        assertEquals("bad.dat:2: expected 'DECAY PDG WIDTH', found 'DECAY 6'", failure("\nDECAY 6 # WT\n").getMessage());
    }

    @Test
    void autoWidthExplainsWhatToDo() {
        InputException e = failure("DECAY 6 Auto # WT\n");
        assertEquals("bad.dat:1: 'Auto' for width of DECAY 6 is not a number: write the computed width in the card",
                e.getMessage());
    }

    @Test
    void malformedBlockHeaders() {
        assertEquals("bad.dat:1: BLOCK line without a block name", failure("BLOCK # nothing\n").getMessage());
        assertEquals("bad.dat:1: malformed scale 'abc' in BLOCK NMIX Q= ...", failure("BLOCK NMIX Q= abc\n").getMessage());
        assertTrue(failure("BLOCK MASS extra\n").getMessage().startsWith("bad.dat:1: unexpected 'extra' after BLOCK MASS"));
    }

    @Test
    void errorMessagesAreOneLine() {
        for (String text : List.of("BLOCK MASS\n 6 x\n", "6 1\n", "DECAY 6\n", "BLOCK\n", "BLOCK A\n x 1\n")) {
            assertFalse(failure(text).getMessage().contains("\n"), text);
        }
    }

    // ---- files ----

    @Test
    void readsAFileAndNamesItAsSource(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("param_card.dat");
        Files.writeString(file, "BLOCK MASS\n 6 173.0\n 6 oops\n");
        InputException e = assertThrows(InputException.class, () -> ParamCard.read(file));
        assertEquals(file + ":3: malformed number 'oops' for MASS:6", e.getMessage());
        Files.writeString(file, "BLOCK MASS\n 6 173.0\n");
        ParamCard read = ParamCard.read(file);
        assertEquals(file.toString(), read.sourceName());
        assertEquals(173.0, read.value(ParamKey.parse("MASS:6")).getAsDouble());
    }

    @Test
    void missingFileNamesThePath(@TempDir Path dir) {
        Path file = dir.resolve("nope/param_card.dat");
        InputException e = assertThrows(InputException.class, () -> ParamCard.read(file));
        assertEquals("param card not found: " + file, e.getMessage());
    }

    @Test
    void unreadableFileNamesThePath(@TempDir Path dir) {
        InputException e = assertThrows(InputException.class, () -> ParamCard.read(dir));
        assertTrue(e.getMessage().startsWith("cannot read param card " + dir), e.getMessage());
    }
}
