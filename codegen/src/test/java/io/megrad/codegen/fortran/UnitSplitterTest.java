package io.megrad.codegen.fortran;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class UnitSplitterTest {
    private static List<SourceUnit> split(String... src) {
        return UnitSplitter.split(new FixedFormReader(List.of()).readText(String.join("\n", src), "t.f", null));
    }

    @Test
    void doubleComplexFunctionHeader() {
        SourceUnit u = split("      DOUBLE COMPLEX FUNCTION F(X)", "      F = X", "      END").get(0);
        assertEquals(Syntax.UnitKind.FUNCTION, u.kind());
        assertEquals("F", u.name());
        // The kind of a complex type is that of each component, as for COMPLEX*16 (see TypeSpecParser).
        assertEquals(new Syntax.TypeSpec(Syntax.BaseType.COMPLEX, 8), u.resultType());
        assertEquals(List.of("X"), u.params());
        assertEquals(1, u.body().size());
    }

    @Test
    void complexStar16AndDoubleComplexHaveTheSameKind() {
        SourceUnit a = split("      COMPLEX*16 FUNCTION A()", "      END").get(0);
        SourceUnit b = split("      DOUBLE COMPLEX FUNCTION B()", "      END").get(0);
        assertEquals(a.resultType(), b.resultType());
    }

    @Test
    void subroutinesAndFunctionsInOneFileAreSeparated() {
        List<SourceUnit> us = split(
                "      SUBROUTINE SMATRIX(P,ANS)", "      ANS = 0", "      END",
                "      REAL*8 FUNCTION DOT(A,B)", "      DOT = 0", "      END FUNCTION DOT");
        assertEquals(List.of("SMATRIX", "DOT"), us.stream().map(SourceUnit::name).toList());
        assertEquals(List.of("P", "ANS"), us.get(0).params());
        assertEquals(new Syntax.TypeSpec(Syntax.BaseType.REAL, 8), us.get(1).resultType());
    }

    @Test
    void moduleWithContainsIsSplitIntoSpecAndProcedures() {
        List<SourceUnit> us = split(
                "      MODULE M", "      INTEGER N", "      CONTAINS",
                "      SUBROUTINE S(X)", "      X = N", "      END SUBROUTINE S",
                "      FUNCTION G()", "      G = 1", "      END FUNCTION",
                "      END MODULE M");
        assertEquals(List.of("M", "S", "G"), us.stream().map(SourceUnit::name).toList());
        assertEquals(Syntax.UnitKind.MODULE, us.get(0).kind());
        assertEquals(1, us.get(0).body().size());
        assertNull(us.get(0).module());
        assertEquals("M", us.get(1).module());
        assertEquals("M", us.get(2).module());
    }
}
