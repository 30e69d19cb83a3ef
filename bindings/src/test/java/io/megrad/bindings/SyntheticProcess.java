package io.megrad.bindings;

import io.megrad.codegen.ir.CommonBlock;
import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.ExternalInput;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;
import io.megrad.runtime.SourcePosition;

import java.util.List;
import java.util.Map;

/**
 * A two-particle IR program small enough to differentiate by hand, exercising COMMON storage, a
 * param-card input, a by-reference CALL with an element actual, complex arithmetic and the rules of
 * ops.hpp (complex sqrt, abs):
 * <pre>
 *   SETUP:   MT = input mdl_MT (MASS:6)
 *   SQ(X,Y): Y = X * X
 *   SMATRIX(P, ANS): CALL SQ(P(0,1), T); Z = DCMPLX(P(1,2), MT); ANS = MT * T + ABS(SQRT(Z))
 * </pre>
 * so |M|² = mt E1² + (px2² + mt²)^(1/4).
 */
final class SyntheticProcess {
    private SyntheticProcess() {
    }

    static Program program() {
        SourcePosition pos = SourcePosition.of("synthetic/matrix.f", 1);
        Variable mtSetup = new Variable("MDL_MT", Type.REAL, List.of(), new Storage.Common("MASSES", 0), pos);
        Procedure setup = new Procedure("SETUP", List.of(), null, List.of(mtSetup),
                List.of(new Stmt.ParamInput(pos, new Expr.Ref(mtSetup), 0)), List.of(), pos);

        Variable x = new Variable("X", Type.REAL, List.of(), new Storage.Argument(0), pos);
        Variable y = new Variable("Y", Type.REAL, List.of(), new Storage.Argument(1), pos);
        Procedure sq = new Procedure("SQ", List.of(x, y), null, List.of(),
                List.of(new Stmt.Assign(pos, new Expr.Ref(y), new Expr.Binary(Op.Binary.MUL, new Expr.Ref(x), new Expr.Ref(x), Type.REAL))),
                List.of(), pos);

        Variable p = new Variable("P", Type.REAL, List.of(new Dim(0, 3), new Dim(1, 2)), new Storage.Argument(0), pos);
        Variable ans = new Variable("ANS", Type.REAL, List.of(), new Storage.Argument(1), pos);
        Variable t = new Variable("T", Type.REAL, List.of(), new Storage.Local(), pos);
        Variable z = new Variable("Z", Type.COMPLEX, List.of(), new Storage.Local(), pos);
        Variable mt = new Variable("MDL_MT", Type.REAL, List.of(), new Storage.Common("MASSES", 0), pos);
        Expr e1 = new Expr.Element(p, List.of(new Expr.IntConst(0), new Expr.IntConst(1)));
        Expr px2 = new Expr.Element(p, List.of(new Expr.IntConst(1), new Expr.IntConst(2)));
        Expr sqrtZ = new Expr.Intrinsic(Op.Fn.SQRT, List.of(new Expr.Ref(z)), Type.COMPLEX);
        Expr value = new Expr.Binary(Op.Binary.ADD,
                new Expr.Binary(Op.Binary.MUL, new Expr.Ref(mt), new Expr.Ref(t), Type.REAL),
                new Expr.Intrinsic(Op.Fn.ABS, List.of(sqrtZ), Type.REAL), Type.REAL);
        Procedure smatrix = new Procedure("SMATRIX", List.of(p, ans), null, List.of(t, z, mt), List.of(
                new Stmt.Call(pos, "SQ", List.of(e1, new Expr.Ref(t)), null),
                new Stmt.Assign(pos, new Expr.Ref(z), new Expr.Intrinsic(Op.Fn.CMPLX, List.of(px2, new Expr.Ref(mt)), Type.COMPLEX)),
                new Stmt.Assign(pos, new Expr.Ref(ans), value)), List.of(), pos);

        return new Program(Map.of("SETUP", setup, "SQ", sq, "SMATRIX", smatrix),
                Map.of("MASSES", new CommonBlock("MASSES", List.of(mt))),
                List.of(new ExternalInput(0, "mdl_MT", "MASS", List.of(6), 173.0)), "SETUP", "SMATRIX", 2, 1);
    }

    /** |M|² and its derivatives w.r.t. (E1, px2, mt). */
    static double[] exact(double e1, double px2, double mt) {
        double r = px2 * px2 + mt * mt;
        double q = Math.pow(r, -0.75);
        return new double[]{mt * e1 * e1 + Math.pow(r, 0.25), 2 * mt * e1, 0.5 * px2 * q, e1 * e1 + 0.5 * mt * q};
    }
}
