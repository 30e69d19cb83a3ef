package io.megrad.codegen.fortran;

import io.megrad.runtime.SourcePosition;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class StatementParserTest {
    private static List<Syntax.Stmt> parse(String... body) {
        return StatementParser.parse(new FixedFormReader(List.of()).readText(String.join("\n", body), "t.f", null));
    }

    private static Syntax.Stmt one(String... body) {
        List<Syntax.Stmt> s = parse(body);
        assertEquals(1, s.size(), s.toString());
        return s.get(0);
    }

    private static Syntax.Expr rhs(String... body) {
        return ((Syntax.Assign) one(body)).value();
    }

    private static final Syntax.Name I = new Syntax.Name("I");

    @Test
    void parameterDefinitions() {
        var p = (Syntax.ParameterStmt) one("      PARAMETER (NEXTERNAL=4, NCOMB=16)");
        assertEquals(List.of("NEXTERNAL", "NCOMB"), p.definitions().stream().map(Syntax.Entity::name).toList());
        assertEquals(new Syntax.IntLit(4), p.definitions().get(0).init());
    }

    @Test
    void dataWithRepeatCount() {
        var d = (Syntax.DataStmt) one("      DATA GOODHEL/NCOMB*.FALSE./");
        Syntax.DataSet set = d.sets().get(0);
        assertEquals(List.of(new Syntax.Name("GOODHEL")), set.objects());
        assertEquals(List.of(new Syntax.DataValue(new Syntax.Name("NCOMB"), new Syntax.LogicalLit(false))), set.values());
    }

    @Test
    void dataWithImpliedDoAndSignedValues() {
        var d = (Syntax.DataStmt) one("      DATA (NHEL(I,1),I=1,4) /-1,1,1,-1/");
        Syntax.DataSet set = d.sets().get(0);
        var ido = (Syntax.ImpliedDo) set.objects().get(0);
        assertEquals("I", ido.var());
        assertEquals(List.of(new Syntax.Apply("NHEL", List.of(I, new Syntax.IntLit(1)))), ido.items());
        assertEquals(new Syntax.IntLit(1), ido.start());
        assertEquals(new Syntax.IntLit(4), ido.end());
        assertEquals(4, set.values().size());
        assertNull(set.values().get(1).repeat());
    }

    @Test
    void commonBlockMembers() {
        var c = (Syntax.CommonStmt) one("      COMMON/COUPL_R/ MDL_MT2, MDL_EE");
        assertEquals("COUPL_R", c.blocks().get(0).name());
        assertEquals(List.of("MDL_MT2", "MDL_EE"), c.blocks().get(0).members().stream().map(Syntax.Entity::name).toList());
    }

    @Test
    void blockIfWithElseIfAndElse() {
        var b = (Syntax.IfBlock) one(
                "      IF (X .GT. 0) THEN", "        Y = 1",
                "      ELSE IF (X .LT. 0) THEN", "        Y = 2",
                "      ELSE", "        Y = 3", "        Z = 3",
                "      END IF");
        assertEquals(3, b.branches().size());
        assertNull(b.branches().get(2).condition());
        assertEquals(List.of(1, 1, 2), b.branches().stream().map(x -> x.body().size()).toList());
        assertEquals(SourcePosition.of("t.f", 3), b.branches().get(1).pos());
    }

    @Test
    void oneLineIfHoldsAStatement() {
        var l = (Syntax.LogicalIf) one("      IF (X.EQ.0) Y = 'a b'");
        assertEquals(new Syntax.Binary("EQ", new Syntax.Name("X"), new Syntax.IntLit(0)), l.condition());
        assertEquals(new Syntax.StringLit("a b"), ((Syntax.Assign) l.then()).value());
    }

    @Test
    void doEndDoWithCycleAndExit() {
        var d = (Syntax.DoLoop) one(
                "      DO I=1,N,2", "        IF (I.EQ.3) CYCLE", "        IF (I.EQ.5) EXIT", "        X = I", "      ENDDO");
        assertEquals("I", d.var());
        assertEquals(new Syntax.IntLit(2), d.step());
        assertEquals(Syntax.SimpleKind.CYCLE, ((Syntax.Simple) ((Syntax.LogicalIf) d.body().get(0)).then()).kind());
        assertEquals(Syntax.SimpleKind.EXIT, ((Syntax.Simple) ((Syntax.LogicalIf) d.body().get(1)).then()).kind());
        assertEquals(3, d.body().size());
    }

    @Test
    void labelledDoEndsAtItsContinue() {
        List<Syntax.Stmt> s = parse("      DO 10 I=1,4", "        X = X + I", "   10 CONTINUE", "      Y = X");
        assertEquals(2, s.size());
        var d = (Syntax.DoLoop) s.get(0);
        assertEquals(2, d.body().size());
        assertEquals(Syntax.SimpleKind.CONTINUE, ((Syntax.Simple) d.body().get(1)).kind());
    }

    @Test
    void complexLiteral() {
        var c = (Syntax.ComplexLit) rhs("      Z = (0D0,1D0)");
        assertEquals(0.0, ((Syntax.RealLit) c.re()).value());
        assertEquals(1.0, ((Syntax.RealLit) c.im()).value());
    }

    @Test
    void exponentSplitByContinuationReadsAsOneLiteral() {
        var r = (Syntax.RealLit) rhs("      X = 1.0D", "     $ +00");
        assertEquals(1.0, r.value());
        assertEquals(true, r.doublePrecision());
    }

    @Test
    void integerFollowedByDotOperatorIsNotAReal() {
        var b = (Syntax.Binary) ((Syntax.LogicalIf) one("      IF (1.EQ.2) X = 1")).condition();
        assertEquals(new Syntax.Binary("EQ", new Syntax.IntLit(1), new Syntax.IntLit(2)), b);
    }

    @Test
    void realStarEightWithLowerBound() {
        var t = (Syntax.TypeDecl) one("      REAL*8 P(0:3,NEXTERNAL), ANS");
        assertEquals(new Syntax.TypeSpec(Syntax.BaseType.REAL, 8), t.type());
        Syntax.Entity p = t.entities().get(0);
        assertEquals(new Syntax.Dim(new Syntax.IntLit(0), new Syntax.IntLit(3)), p.dims().get(0));
        assertEquals(new Syntax.Name("NEXTERNAL"), p.dims().get(1).upper());
        assertEquals("ANS", t.entities().get(1).name());
    }

    @Test
    void unsupportedStatementsAreKeptWithTheirPosition() {
        List<Syntax.Stmt> s = parse("      X = 1", "      WRITE(*,*) X");
        var u = assertInstanceOf(Syntax.Unsupported.class, s.get(1));
        assertEquals(SourcePosition.of("t.f", 2), u.pos());
        assertInstanceOf(Syntax.Goto.class, one("      GOTO 10"));
    }
}
