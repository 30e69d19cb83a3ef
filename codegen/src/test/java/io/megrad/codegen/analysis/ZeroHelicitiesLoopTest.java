package io.megrad.codegen.analysis;

import io.megrad.codegen.SyntheticOutput;
import io.megrad.codegen.analysis.ZeroHelicities.SkippedIterations;
import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.fortran.FortranFrontend;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * What makes an iteration skippable, on small synthetic loops: helicity 2 of 2 contributes exactly
 * zero; it is skipped only when nothing else it leaves behind is ever read.
 */
class ZeroHelicitiesLoopTest {
    @TempDir
    Path dir;

    /** SMATRIX summing HEL over two helicities; HEL's result is exactly zero for helicity +1. */
    private static String matrix(String beforeLoop, String inLoop, String afterLoop, String inHel) {
        return String.join("\n",
                "      SUBROUTINE SMATRIX(P,ANS)",
                "      IMPLICIT NONE",
                "      REAL*8 P(0:3,4),ANS",
                "      REAL*8 T,TS(2),WPREV",
                "      INTEGER IHEL,NHEL(2),LASTH",
                "      COMMON/LEFT/WPREV,LASTH",
                "      DATA NHEL/-1,1/",
                "      ANS = 0D0",
                beforeLoop,
                "      DO IHEL=1,2",
                "        CALL HEL(P,NHEL(IHEL),T)",
                "        ANS = ANS + T",
                inLoop,
                "      ENDDO",
                afterLoop,
                "      END",
                "",
                "      SUBROUTINE HEL(P,H,T)",
                "      IMPLICIT NONE",
                "      REAL*8 P(0:3,4),T,WPREV",
                "      INTEGER H,LASTH",
                "      COMMON/LEFT/WPREV,LASTH",
                "      INCLUDE 'coupl.inc'",
                "      IF (H .EQ. 1) THEN",
                "        T = 0D0",
                "      ELSE",
                "        T = P(0,1)*MDL_EE",
                "      ENDIF",
                inHel,
                "      END",
                "");
    }

    private Program program(String matrix) throws IOException {
        MadGraphOutput out = MadGraphOutput.open(SyntheticOutput.write(dir.resolve("out"), matrix));
        return new FortranFrontend(out.root(), out.subprocess(null)).translate();
    }

    @Test
    void anIterationAddingExactZeroIsSkipped() throws IOException {
        Program p = program(matrix("", "", "", ""));
        assertEquals(List.of(new SkippedIterations("SMATRIX", "IHEL", 1, 2)), ZeroHelicities.provedZero(p));
        // The guard is the loop's first statement: IF (IHEL .EQ. 2) CYCLE.
        Stmt.Do loop = (Stmt.Do) ZeroHelicities.transform(p).procedure("SMATRIX").body().stream()
                .filter(s -> s instanceof Stmt.Do).findFirst().orElseThrow();
        Stmt.If guard = assertInstanceOf(Stmt.If.class, loop.body().get(0));
        assertInstanceOf(Stmt.Cycle.class, guard.then().get(0));
        assertEquals(2L, ((Expr.IntConst) ((Expr.Binary) guard.condition()).right()).value());
    }

    @Test
    void scratchOverwrittenByTheNextIterationDoesNotMatter() throws IOException {
        // Every helicity leaves its own WPREV; only the next iteration's write follows.
        Program p = program(matrix("", "", "", "      WPREV = P(0,1)*H"));
        assertEquals(List.of(new SkippedIterations("SMATRIX", "IHEL", 1, 2)), ZeroHelicities.provedZero(p));
    }

    @Test
    void aValueReadAfterTheLoopKeepsTheIteration() throws IOException {
        Program p = program(matrix("", "", "      ANS = ANS*LASTH", "      LASTH = H"));
        assertSame(p, ZeroHelicities.transform(p));
    }

    @Test
    void aValueTheNextPointReadsKeepsTheIteration() throws IOException {
        // WPREV outlives the point and is read before being written: the last helicity's value reaches the next point.
        Program p = program(matrix("      ANS = WPREV", "", "", "      WPREV = P(0,1)*H"));
        assertSame(p, ZeroHelicities.transform(p));
    }

    @Test
    void aZeroStoredWhereItIsReadLaterKeepsTheIteration() throws IOException {
        Program p = program(matrix("", "        TS(IHEL) = T", "      ANS = ANS + TS(2)", ""));
        assertEquals(List.of(), ZeroHelicities.provedZero(p));
    }
}
