package io.megrad.codegen.discover;

import io.megrad.runtime.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProcessHeaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheFirstProcessComment() throws Exception {
        Path f = Files.writeString(tmp.resolve("matrix.f"), "C     \nC     Process:   \r\nC     Process: e+ e- > mu+ mu- WEIGHTED<=4 @1  \r\n");
        assertEquals(2, ProcessHeader.read(f).nInitial());
    }

    /** Long runs of blanks made the pattern backtrack quadratically (seconds for 40 000 blanks). */
    @Test
    @Timeout(10)
    void longRunsOfBlanksAreReadInLinearTime() throws Exception {
        Path f = Files.writeString(tmp.resolve("matrix.f"), "\n".repeat(200_000) + "C     Process: x" + " ".repeat(200_000) + "y\n");
        assertThrows(InputException.class, () -> ProcessHeader.read(f)); // "x  ...  y" is no process
        Path blank = Files.writeString(tmp.resolve("blank.f"), " \n".repeat(200_000));
        assertThrows(InputException.class, () -> ProcessHeader.read(blank));
    }
}
