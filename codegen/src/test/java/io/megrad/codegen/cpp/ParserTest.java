package io.megrad.codegen.cpp;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParserTest {
    private static Syntax.Expr expr(String s) {
        return Parser.parseExpression(s);
    }

    private static Syntax.Stmt stmt(String s) {
        List<Syntax.Stmt> list = Parser.parseStatements(s, "t.cc", Set.of("Parameters_sm"));
        assertEquals(1, list.size(), list.toString());
        return list.get(0);
    }

    private static Syntax.Name n(String s) {
        return new Syntax.Name(s);
    }

    private static Syntax.IntLit i(long v) {
        return new Syntax.IntLit(v);
    }

    private static final Syntax.TypeName COMPLEX = new Syntax.TypeName("std::complex", List.of(Syntax.TypeName.of("double")), false, 0, false);

    // ------------------------------------------------------------------ expressions

    @Test
    void precedenceAndAssociativity() {
        assertEquals(new Syntax.Binary("-", new Syntax.Binary("-", n("a"), new Syntax.Binary("*", n("b"), n("c"))), n("d")),
                expr("a - b * c - d"));
        assertEquals(new Syntax.Binary("||", n("a"), new Syntax.Binary("&&", new Syntax.Binary("==", n("b"), i(0)), n("c"))),
                expr("a || b == 0 and c"));
    }

    @Test
    void complexConstructorTimesAmplitude() {
        // jamp[0] = +std::complex<double> (0, 1) * amp[0] - amp[1];
        assertEquals(new Syntax.Binary("-",
                        new Syntax.Binary("*", new Syntax.Unary("+", new Syntax.Construct(COMPLEX, List.of(i(0), i(1)))),
                                new Syntax.Index(n("amp"), i(0))),
                        new Syntax.Index(n("amp"), i(1))),
                expr("+std::complex<double> (0, 1) * amp[0] - amp[1]"));
    }

    @Test
    void unqualifiedComplexAndFunctionalCasts() {
        Syntax.TypeName cx = new Syntax.TypeName("complex", List.of(Syntax.TypeName.of("double")), false, 0, false);
        assertEquals(new Syntax.Construct(cx, List.of(new Syntax.Unary("-", n("nh")), i(0))), expr("complex<double> (-nh, 0)"));
        assertEquals(new Syntax.Binary("/", new Syntax.Construct(Syntax.TypeName.of("double"), List.of(n("ngood"))),
                        new Syntax.Construct(Syntax.TypeName.of("double"), List.of(n("sum_hel")))),
                expr("double(ngood)/double(sum_hel)"));
        assertEquals(new Syntax.Construct(Syntax.TypeName.of("double"), List.of(n("x"))), expr("(double) x"));
        assertEquals(new Syntax.Construct(Syntax.TypeName.of("int"), List.of(n("x"))), expr("static_cast<int>(x)"));
    }

    @Test
    void memberAccessThroughPointersAndObjects() {
        assertEquals(new Syntax.Member(n("pars"), "GC_10", true), expr("pars->GC_10"));
        assertEquals(new Syntax.Call(new Syntax.Member(new Syntax.Index(n("F1"), i(0)), "real", false), List.of()), expr("F1[0].real()"));
        assertEquals(new Syntax.Call(new Syntax.Member(n("slha"), "get_block_entry", false),
                        List.of(new Syntax.StringLit("mass"), i(6), new Syntax.FloatLit(173.0, false))),
                expr("slha.get_block_entry(\"mass\", 6, 1.730000e+02)"));
    }

    @Test
    void conditionalWithUnaryMinusOnACall() {
        // return (b < 0)? - abs(a):abs(a);
        Syntax.Expr abs = new Syntax.Call(n("abs"), List.of(n("a")));
        assertEquals(new Syntax.Conditional(new Syntax.Binary("<", n("b"), i(0)), new Syntax.Unary("-", abs), abs),
                expr("(b < 0)? - abs(a):abs(a)"));
    }

    @Test
    void addressOfAnElementAndQualifiedNames() {
        assertEquals(new Syntax.Unary("&", new Syntax.Index(new Syntax.Index(n("w"), i(3)), i(0))), expr("&w[3][0]"));
        assertEquals(new Syntax.Call(n("std::abs"), List.of(n("hel"))), expr("std::abs(hel)"));
        assertEquals(new Syntax.Call(n("Parameters_sm::getInstance"), List.of()), expr("Parameters_sm::getInstance()"));
    }

    @Test
    void streamOutputAndNew() {
        assertEquals(new Syntax.Binary("<<", new Syntax.Binary("<<", n("cout"), new Syntax.StringLit("x")), n("endl")),
                expr("cout << \"x\" << endl"));
        assertEquals(new Syntax.New(Syntax.TypeName.of("double"), i(2), List.of()), expr("new double[2]"));
    }

    @Test
    void assignmentsAndIncrements() {
        assertEquals(new Syntax.Assign("/=", new Syntax.Index(n("me"), n("i")), new Syntax.Index(n("d"), n("i"))), expr("me[i] /= d[i]"));
        assertEquals(new Syntax.Postfix("++", n("ngood")), expr("ngood++"));
        assertEquals(new Syntax.Unary("--pre", n("k")), expr("--k"));
        assertEquals(new Syntax.Assign("=", n("a"), new Syntax.Assign("=", n("b"), i(0))), expr("a = b = 0"));
    }

    @Test
    void nestedTemplateClosedByShiftToken() {
        Syntax.Construct c = (Syntax.Construct) expr("std::vector<std::complex<double>>(3)");
        assertEquals("std::vector", c.type().base());
        assertEquals(COMPLEX, c.type().args().get(0));
    }

    // ------------------------------------------------------------------ statements

    @Test
    void declarationsAreToldFromExpressions() {
        assertInstanceOf(Syntax.Decl.class, stmt("std::complex<double> ztemp; "));
        assertInstanceOf(Syntax.Decl.class, stmt("SLHAReader slha(param_card_name); "));
        assertInstanceOf(Syntax.Decl.class, stmt("Parameters_sm * p = 0; "));
        assertInstanceOf(Syntax.ExprStmt.class, stmt("a * b; "));
        assertInstanceOf(Syntax.ExprStmt.class, stmt("cout << x << endl; "));
        assertInstanceOf(Syntax.ExprStmt.class, stmt("pars->setDependentParameters(); "));
    }

    @Test
    void staticTwoDimensionalArrayWithNestedInitializer() {
        var d = (Syntax.Decl) stmt("static const int helicities[ncomb][nexternal] = {{-1, -1}, {-1,\n 1}};");
        assertTrue(d.specifiers().isStatic());
        assertTrue(d.specifiers().isConst());
        Syntax.Declarator x = d.declarators().get(0);
        assertEquals("helicities", x.name());
        assertEquals(List.of(n("ncomb"), n("nexternal")), x.dims());
        var init = (Syntax.BraceList) x.init();
        assertEquals(2, init.items().size());
        assertEquals(new Syntax.BraceList(List.of(new Syntax.Unary("-", i(1)), i(1))), init.items().get(1));
    }

    @Test
    void specifiersInAnyOrder() {
        var d = (Syntax.Decl) stmt("const static double x = 1.;");
        assertTrue(d.specifiers().isStatic());
        assertTrue(d.specifiers().isConst());
        assertEquals("double", d.declarators().get(0).type().base());
    }

    @Test
    void severalDeclaratorsEachWithTheirOwnPointers() {
        var d = (Syntax.Decl) stmt("double * a[2], b, c = 1.;");
        assertEquals(1, d.declarators().get(0).type().pointers());
        assertEquals(0, d.declarators().get(1).type().pointers());
        assertEquals(new Syntax.FloatLit(1.0, false), d.declarators().get(2).init());
        var v = (Syntax.Decl) stmt("vector<int> indices(2, 0); ");
        assertEquals(List.of(i(2), i(0)), v.declarators().get(0).ctorArgs());
    }

    @Test
    void forLoopWithDeclarationAndIfElse() {
        var f = (Syntax.For) stmt("for(int i = 0; i < ncolor; i++ ) if (x) y = 1; else { y = 2; }");
        assertInstanceOf(Syntax.Decl.class, f.init());
        assertEquals(new Syntax.Binary("<", n("i"), n("ncolor")), f.condition());
        assertEquals(new Syntax.Postfix("++", n("i")), f.step());
        var branch = (Syntax.If) f.body();
        assertInstanceOf(Syntax.ExprStmt.class, branch.then());
        assertInstanceOf(Syntax.Block.class, branch.otherwise());
    }

    @Test
    void whileDoWhileReturnBreak() {
        var w = (Syntax.While) stmt("while (i < 6) { V3[i] = V3[i] + Vtmp[i]; i++; }");
        assertEquals(2, ((Syntax.Block) w.body()).body().size());
        var d = (Syntax.DoWhile) stmt("do { break; } while (true);");
        assertInstanceOf(Syntax.Break.class, ((Syntax.Block) d.body()).body().get(0));
        assertNull(((Syntax.Return) stmt("return;")).value());
    }

    @Test
    void unsupportedStatementsAreKeptWithTheirPositionUntilTranslated() {
        List<Syntax.Stmt> s = Parser.parseStatements("x = 1;\nswitch (x) { case 1: y = 2; break; }\ngoto end;\n", "t.cc", Set.of());
        assertEquals(3, s.size());
        assertEquals(new Syntax.Unsupported(SourcePosition.of("t.cc", 2), "'switch' statement"), s.get(1));
        assertEquals(new Syntax.Unsupported(SourcePosition.of("t.cc", 3), "'goto' statement"), s.get(2));
    }

    // ------------------------------------------------------------------ files

    @Test
    void classWithInlineAndOutOfLineMembersAndNamespaceFunctions() {
        Set<String> known = new HashSet<>();
        Syntax.TranslationUnit h = Parser.parse(String.join("\n",
                "#include <complex>",
                "using namespace std;",
                "class CPPProcess",
                "{",
                "  public:",
                "    CPPProcess() {}",
                "    virtual void initProc(string param_card_name);",
                "    const vector<double> & getMasses() const {return mME;}",
                "    void setMomenta(vector < double * > & momenta){p = momenta;}",
                "    static const int nexternal = 4;",
                "  private:",
                "    std::complex<double> w[nwavefuncs][18];",
                "    double * jamp2[nprocesses];",
                "    vector<double> mME;",
                "    vector < double * > p;",
                "};",
                "namespace MG5_sm",
                "{",
                "void FFV1_0(std::complex<double> F1[], std::complex<double> & vertex);",
                "double Sgn(double a, double b) { return a; }",
                "}",
                "void CPPProcess::initProc(string param_card_name)",
                "{",
                "}",
                "Parameters_sm * Parameters_sm::instance = 0;"), "t.h", known);
        assertTrue(known.contains("CPPProcess"));
        Syntax.ClassDef c = h.classes().get(0);
        assertEquals(List.of("nexternal", "w", "jamp2", "mME", "p"), c.fields().stream().map(f -> f.declarator().name()).toList());
        assertEquals(List.of("CPPProcess", "initProc", "getMasses", "setMomenta"), c.methods().stream().map(Syntax.Function::name).toList());
        assertNull(c.methods().get(1).body());
        assertEquals(1, c.fields().get(2).declarator().type().pointers());
        Syntax.Function ffv = h.functions().get(0);
        assertEquals("MG5_sm", ffv.namespace());
        assertTrue(ffv.params().get(1).type().reference());
        assertEquals(1, ffv.params().get(0).dims().size());
        Syntax.Function init = h.functions().get(2);
        assertEquals("CPPProcess", init.owner());
        assertEquals("initProc", init.name());
        assertEquals("Parameters_sm", h.globals().get(0).owner());
    }

    @Test
    void templatesAreUnsupportedWithTheirPosition() {
        UnsupportedConstructException e = assertThrows(UnsupportedConstructException.class,
                () -> Parser.parse("int a;\ntemplate <class T> T f(T x) { return x; }", "t.h", new HashSet<>()));
        assertTrue(e.getMessage().startsWith("t.h:2: unsupported 'template' declaration"), e.getMessage());
    }

    @Test
    void missingSemicolonIsASyntaxError() {
        InputException e = assertThrows(InputException.class,
                () -> Parser.parse("void f()\n{\n  x = 1\n  y = 2;\n}\n", "t.cc", new HashSet<>()));
        assertTrue(e.getMessage().startsWith("t.cc:4: syntax error: expected ';'"), e.getMessage());
    }
}
