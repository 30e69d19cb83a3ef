package io.megrad.codegen.cpp;

import io.megrad.codegen.ir.DataInit;
import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;
import io.megrad.runtime.UnsupportedConstructException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** C++ semantics in the IR: storage, array layout, conversions, control flow, calls. */
class LoweringTest {
    /** Translates {@code fn} of {@code src} and everything it calls; returns all procedures by name. */
    private static Map<String, Procedure> lowerAll(String src, String fn) {
        Model model = new Model();
        model.add(Parser.parse(src, "t.cc", new HashSet<>()));
        model.layoutMembers();
        model.require(model.functions.get(fn).get(0), null);
        Map<String, Procedure> out = new HashMap<>();
        while (!model.pending.isEmpty()) {
            Model.Callee c = model.pending.poll();
            out.put(c.irName(), Lowering.lower(model, c));
        }
        return out;
    }

    private static Procedure lower(String src, String fn) {
        return lowerAll(src, fn).get(fn);
    }

    private static Variable local(Procedure p, String name) {
        return p.locals().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no local " + name));
    }

    private static Expr.IntConst i(long v) {
        return new Expr.IntConst(v);
    }

    @Test
    void rowMajorArraysBecomeColumnMajorWithReversedBounds() {
        Procedure p = lower("void f(double x) { double a[2][3]; a[1][2] = x; }", "f");
        Variable a = local(p, "a");
        assertEquals(List.of(new Dim(0, 2), new Dim(0, 1)), a.dims());
        var s = (Stmt.Assign) p.body().get(0);
        assertEquals(new Expr.Element(a, List.of(i(2), i(1))), s.target());
    }

    @Test
    void rowOfATwoDimensionalArrayIsPassedFromItsFirstElement() {
        Procedure p = lower("void g(const int h[]) {}\nvoid f(int k) { static const int t[2][3] = {{1, 2, 3}, {4, 5, 6}}; g(t[k]); }", "f");
        Variable t = local(p, "t");
        assertEquals(Storage.Saved.class, t.storage().getClass());
        var call = (Stmt.Call) p.body().get(0);
        assertEquals("g", call.callee());
        assertEquals(new Expr.Element(t, List.of(i(0), new Expr.Ref(p.params().get(0)))), call.args().get(0));
        // DATA in C++'s row-major order, which is the IR's column-major order of the reversed bounds.
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), p.data().stream().map(d -> ((Expr.IntConst) d.value()).value()).toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5), p.data().stream().map(DataInit::offset).toList());
    }

    @Test
    void staticLocalsAreSavedZeroInitialisedAndArraysGetAGuardElement() {
        Procedure p = lower("void f() { static int n = 0; static int g[4]; static bool good[2] = {2 * false}; n = n + 1; g[n] = 1; good[0] = true; }", "f");
        Variable n = local(p, "n");
        Variable g = local(p, "g");
        assertEquals(Storage.Saved.class, n.storage().getClass());
        assertEquals(5, g.size());
        assertEquals(3, local(p, "good").size());
        List<DataInit> gData = p.data().stream().filter(d -> d.var() == g).toList();
        assertEquals(5, gData.size());
        assertTrue(gData.stream().allMatch(d -> d.value().equals(i(0))));
        assertTrue(p.data().stream().filter(d -> d.var().name().equals("good")).allMatch(d -> d.value().equals(new Expr.LogicalConst(false))));
    }

    @Test
    void constantsAndNeverWrittenStaticsAreFolded() {
        Procedure p = lower("void f(std::complex<double> & z) { static std::complex<double> cI = std::complex<double> (0., 1.);"
                + " const int n = 3; z = cI * double(n); }", "f");
        assertEquals(List.of(), p.locals());
        assertEquals(new Expr.ComplexConst(0, 3), ((Stmt.Assign) p.body().get(0)).value());
    }

    @Test
    void integerDivisionAndUsualArithmeticConversions() {
        Procedure p = lower("void f(int nh, double & x) { int ip = (1 + nh)/2; x = ip * 0.5; }", "f");
        var div = (Expr.Binary) ((Stmt.Assign) p.body().get(0)).value();
        assertEquals(Op.Binary.DIV, div.op());
        assertEquals(Type.INT, div.type());
        var mul = (Expr.Binary) ((Stmt.Assign) p.body().get(1)).value();
        assertEquals(Type.REAL, mul.type());
        assertEquals(new Expr.Convert(new Expr.Ref(local(p, "ip")), Type.REAL), mul.left());
    }

    @Test
    void conditionalOperatorEvaluatesOneBranchIntoATemporary() {
        Procedure p = lower("double Sgn(double a, double b) { return (b < 0)? - abs(a):abs(a); }", "Sgn");
        var branch = (Stmt.If) p.body().get(0);
        assertEquals(1, branch.then().size());
        assertEquals(1, branch.otherwise().size());
        var ret = (Stmt.Assign) p.body().get(1);
        assertEquals(new Expr.Ref(p.result()), ret.target());
        assertInstanceOf(Stmt.Return.class, p.body().get(2));
    }

    @Test
    void countedForLoopsBecomeDoLoopsAndOthersWhileLoops() {
        Procedure p = lower("void f(int n, double a[]) { for (int i = 0; i < n; i++) a[i] = 0;"
                + " int m = 3; for (int j = 0; j < m; j++) m = m - 1; int k = 0; while (k < 2) k++; }", "f");
        var counted = (Stmt.Do) p.body().get(0);
        assertEquals(i(0), counted.start());
        assertEquals(new Expr.Binary(Op.Binary.SUB, new Expr.Ref(p.params().get(0)), i(1), Type.INT), counted.end());
        // The second loop changes its own bound, so C++'s re-evaluated condition is kept.
        assertInstanceOf(Stmt.While.class, p.body().get(3));
        var w = (Stmt.While) p.body().get(3);
        assertEquals(Op.Binary.LT, ((Expr.Binary) w.condition()).op());
        assertInstanceOf(Stmt.Assign.class, w.body().get(w.body().size() - 1), "the step ends each trip");
        assertInstanceOf(Stmt.While.class, p.body().get(5));
    }

    @Test
    void callsAreHoistedIntoTemporaries() {
        Procedure p = lower("double g(double x) { return x * 2; }\nvoid f(double & y) { y = g(y) + g(1.); }", "f");
        assertEquals(3, p.body().size());
        var c0 = (Stmt.Call) p.body().get(0);
        var c1 = (Stmt.Call) p.body().get(1);
        assertEquals(List.of(new Expr.Ref(p.params().get(0))), c0.args());
        assertEquals(List.of(new Expr.RealConst(1, Type.REAL)), c1.args());
        var sum = (Expr.Binary) ((Stmt.Assign) p.body().get(2)).value();
        assertEquals(c0.result(), sum.left());
        assertEquals(c1.result(), sum.right());
    }

    @Test
    void constComputedAtRunTimeIsALocalEvaluatedOnce() {
        Procedure p = lower("double g(double x) { return x; }\nvoid f(double y, double & r) { const double c = g(y); r = c * 2; }", "f");
        assertEquals(1, p.body().stream().filter(s -> s instanceof Stmt.Call).count());
        assertEquals(new Expr.Ref(local(p, "c")), ((Stmt.Assign) p.body().get(1)).target());
    }

    @Test
    void byValueParameterWrittenByTheCalleeIsCopied() {
        Procedure p = lower("void f(double x, double & r) { x = x + 1; r = x; }", "f");
        assertEquals("x_in", p.params().get(0).name());
        assertEquals(new Stmt.Assign(p.pos(), new Expr.Ref(local(p, "x")), new Expr.Ref(p.params().get(0))).target(),
                ((Stmt.Assign) p.body().get(0)).target());
    }

    @Test
    void libraryFunctionsBecomeIntrinsics() {
        Procedure p = lower("void f(double a, std::complex<double> z, int n, double & r) {"
                + " r = pow(a, 2) + std::abs(z) + max(a, 0.0) + real(z) + M_PI + std::abs(n) + z.imag(); }", "f");
        List<Expr> leaves = new ArrayList<>();
        flatten(((Stmt.Assign) p.body().get(0)).value(), leaves);
        assertEquals(7, leaves.size());
        assertEquals(new Expr.Binary(Op.Binary.POW, new Expr.Ref(p.params().get(0)), i(2), Type.REAL), leaves.get(0));
        assertEquals(new Expr.Intrinsic(Op.Fn.ABS, List.of(new Expr.Ref(p.params().get(1))), Type.REAL), leaves.get(1));
        assertEquals(Op.Fn.MAX, ((Expr.Intrinsic) leaves.get(2)).fn());
        assertEquals(Op.Fn.REAL_PART, ((Expr.Intrinsic) leaves.get(3)).fn());
        assertEquals(new Expr.RealConst(Math.PI, Type.REAL), leaves.get(4));
        assertEquals(new Expr.Convert(new Expr.Intrinsic(Op.Fn.ABS, List.of(new Expr.Ref(p.params().get(2))), Type.INT), Type.REAL), leaves.get(5));
        assertEquals(Op.Fn.IMAG_PART, ((Expr.Intrinsic) leaves.get(6)).fn());
    }

    private static void flatten(Expr e, List<Expr> out) {
        if (e instanceof Expr.Binary b && b.op() == Op.Binary.ADD) {
            flatten(b.left(), out);
            flatten(b.right(), out);
        } else {
            out.add(e);
        }
    }

    @Test
    void printingIsDroppedAndExitStops() {
        Procedure p = lower("void f(int h) { std::cout << h << std::endl; if (h > 2) { std::cerr << \"bad\"; std::exit(1); } }", "f");
        assertEquals(1, p.body().size());
        var branch = (Stmt.If) p.body().get(0);
        assertEquals(1, branch.then().size());
        assertInstanceOf(Stmt.Stop.class, branch.then().get(0));
    }

    @Test
    void shortCircuitKeepsACallBehindItsTest() {
        Procedure p = lower("bool g(int x) { return x > 1; }\nvoid f(int a, bool & r) { r = a > 0 && g(a); }", "f");
        var test = (Stmt.If) p.body().get(1);
        assertInstanceOf(Stmt.Call.class, test.then().get(0));
    }

    @Test
    void javaKeywordsAndEmitterNamesAreRenamed() {
        Procedure p = lower("void f(double & k) { double final = 1; int N = 2; k = final * N; }", "f");
        assertEquals("k_", p.params().get(0).name());
        assertTrue(p.locals().stream().anyMatch(v -> v.name().equals("final_")));
        assertTrue(p.locals().stream().anyMatch(v -> v.name().equals("N_")));
    }

    @Test
    void classMembersAreCommonStorageWithTheirInitialValuesAndNamespaceConstantsAreFolded() {
        Model model = new Model();
        model.add(Parser.parse(String.join("\n",
                "const double scale = 2.5;",
                "class Box",
                "{",
                "  public:",
                "    double a[2];",
                "    static int counter;",
                "    double factor = 4.;",
                "    void run(double x);",
                "};",
                "int Box::counter = 7;",
                "void Box::run(double x) { a[0] = x * scale; const double q[2] = {x, 1.}; a[1] = q[0] * factor + counter; }"),
                "t.cc", new HashSet<>()));
        model.layoutMembers();
        Model.ClassInfo box = model.classes.get("Box");
        Procedure p = Lowering.lower(model, model.require(box.methods.get("run"), box));
        assertEquals("Box_run", p.name());
        assertEquals(List.of("a", "counter", "factor"), model.commons.get("Box").members().stream().map(Variable::name).toList());
        assertEquals(List.of(new Expr.IntConst(7), new Expr.RealConst(4.0, Type.REAL)), model.memberData.stream().map(DataInit::value).toList());
        var first = (Stmt.Assign) p.body().get(0);
        assertEquals(new Expr.Binary(Op.Binary.MUL, new Expr.Ref(p.params().get(0)), new Expr.RealConst(2.5, Type.REAL), Type.REAL), first.value());
        // A const array with a non-constant initializer is a local set where it is declared.
        assertEquals(Storage.Local.class, local(p, "q").storage().getClass());
        assertEquals(4, p.body().size());
    }

    @Test
    void pointerArithmeticIsUnsupported() {
        UnsupportedConstructException e = assertThrows(UnsupportedConstructException.class,
                () -> lower("void g(double x[]) {}\nvoid f(double a[])\n{\n  g(a + 1);\n}", "f"));
        assertTrue(e.getMessage().startsWith("t.cc:4: unsupported argument for an array parameter"), e.getMessage());
    }
}
