package io.megrad.codegen.fortran;

import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Type;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;

import java.util.List;
import java.util.Map;

/** Resolves Fortran's generic and specific intrinsic names to typed IR operations. */
final class Intrinsics {
    private Intrinsics() {
    }

    private static final Map<String, Op.Fn> MATH = Map.ofEntries(
            Map.entry("SQRT", Op.Fn.SQRT), Map.entry("DSQRT", Op.Fn.SQRT), Map.entry("CSQRT", Op.Fn.SQRT),
            Map.entry("CDSQRT", Op.Fn.SQRT), Map.entry("ZSQRT", Op.Fn.SQRT),
            Map.entry("EXP", Op.Fn.EXP), Map.entry("DEXP", Op.Fn.EXP), Map.entry("CEXP", Op.Fn.EXP), Map.entry("CDEXP", Op.Fn.EXP),
            Map.entry("LOG", Op.Fn.LOG), Map.entry("ALOG", Op.Fn.LOG), Map.entry("DLOG", Op.Fn.LOG), Map.entry("CLOG", Op.Fn.LOG),
            Map.entry("CDLOG", Op.Fn.LOG), Map.entry("LOG10", Op.Fn.LOG10), Map.entry("DLOG10", Op.Fn.LOG10),
            Map.entry("SIN", Op.Fn.SIN), Map.entry("DSIN", Op.Fn.SIN), Map.entry("CDSIN", Op.Fn.SIN),
            Map.entry("COS", Op.Fn.COS), Map.entry("DCOS", Op.Fn.COS), Map.entry("CDCOS", Op.Fn.COS),
            Map.entry("TAN", Op.Fn.TAN), Map.entry("DTAN", Op.Fn.TAN),
            Map.entry("ASIN", Op.Fn.ASIN), Map.entry("DASIN", Op.Fn.ASIN), Map.entry("ACOS", Op.Fn.ACOS), Map.entry("DACOS", Op.Fn.ACOS),
            Map.entry("ATAN", Op.Fn.ATAN), Map.entry("DATAN", Op.Fn.ATAN), Map.entry("ATAN2", Op.Fn.ATAN2), Map.entry("DATAN2", Op.Fn.ATAN2),
            Map.entry("SINH", Op.Fn.SINH), Map.entry("DSINH", Op.Fn.SINH), Map.entry("COSH", Op.Fn.COSH), Map.entry("DCOSH", Op.Fn.COSH),
            Map.entry("TANH", Op.Fn.TANH), Map.entry("DTANH", Op.Fn.TANH));

    static boolean isIntrinsic(String name) {
        return MATH.containsKey(name) || switch (name) {
            case "ABS", "DABS", "IABS", "CABS", "CDABS", "ZABS", "DCONJG", "CONJG", "DCONJ",
                 "DBLE", "DFLOAT", "FLOAT", "REAL", "DREAL", "SNGL", "DIMAG", "AIMAG", "IMAG", "IMAGPART", "REALPART",
                 "DCMPLX", "CMPLX", "MIN", "MAX", "MIN0", "MAX0", "AMIN1", "AMAX1", "DMIN1", "DMAX1",
                 "SIGN", "DSIGN", "ISIGN", "MOD", "DMOD", "AMOD", "INT", "IDINT", "IFIX", "NINT", "IDNINT", "DIM", "DDIM" -> true;
            default -> false;
        };
    }

    static Expr apply(String name, List<Expr> args, SourcePosition pos) {
        if (args.isEmpty()) {
            throw new UnsupportedConstructException(pos, "intrinsic " + name + " without arguments");
        }
        Expr a = args.get(0);
        Op.Fn math = MATH.get(name);
        if (math != null) {
            if (math == Op.Fn.ATAN2) {
                Type t = Type.promote(floating(a.type()), floating(args.get(1).type()));
                return new Expr.Intrinsic(Op.Fn.ATAN2, List.of(conv(a, t), conv(args.get(1), t)), t);
            }
            Type t = floating(a.type());
            if (name.startsWith("D") && t == Type.REAL4) {
                t = Type.REAL;
            }
            if (name.startsWith("C") && t != Type.COMPLEX && !name.equals("COS") && !name.equals("COSH")) {
                t = Type.COMPLEX;
            }
            return new Expr.Intrinsic(math, List.of(conv(a, t)), t);
        }
        switch (name) {
            case "ABS", "DABS", "IABS", "CABS", "CDABS", "ZABS": {
                Type t = a.type() == Type.COMPLEX ? Type.REAL : a.type();
                return new Expr.Intrinsic(Op.Fn.ABS, List.of(a), t);
            }
            case "DCONJG", "CONJG", "DCONJ":
                return new Expr.Intrinsic(Op.Fn.CONJG, List.of(conv(a, Type.COMPLEX)), Type.COMPLEX);
            case "DBLE", "DFLOAT", "DREAL", "REALPART":
                return realPart(a, Type.REAL);
            case "REAL", "FLOAT", "SNGL":
                // REAL(z) of a double complex keeps double precision (the kind of its argument).
                return realPart(a, a.type() == Type.COMPLEX ? Type.REAL : Type.REAL4);
            case "DIMAG", "AIMAG", "IMAG", "IMAGPART":
                return new Expr.Intrinsic(Op.Fn.IMAG_PART, List.of(conv(a, Type.COMPLEX)), Type.REAL);
            case "DCMPLX": {
                if (args.size() == 1) {
                    return conv(a, Type.COMPLEX);
                }
                return new Expr.Intrinsic(Op.Fn.CMPLX, List.of(conv(a, Type.REAL), conv(args.get(1), Type.REAL)), Type.COMPLEX);
            }
            case "CMPLX": {
                // Default-kind complex: each part is rounded to single precision.
                if (args.size() == 1 && a.type() == Type.COMPLEX) {
                    return a;
                }
                Expr re = conv(conv(a, Type.REAL4), Type.REAL);
                Expr im = args.size() > 1 ? conv(conv(args.get(1), Type.REAL4), Type.REAL) : new Expr.RealConst(0, Type.REAL);
                return new Expr.Intrinsic(Op.Fn.CMPLX, List.of(re, im), Type.COMPLEX);
            }
            case "MIN", "MAX", "MIN0", "MAX0", "AMIN1", "AMAX1", "DMIN1", "DMAX1": {
                Op.Fn fn = name.contains("MIN") ? Op.Fn.MIN : Op.Fn.MAX;
                Type t = a.type();
                for (Expr e : args) {
                    t = Type.promote(t, e.type());
                }
                if (name.startsWith("D")) {
                    t = Type.REAL;
                }
                Expr acc = conv(a, t);
                for (int i = 1; i < args.size(); i++) {
                    acc = new Expr.Intrinsic(fn, List.of(acc, conv(args.get(i), t)), t);
                }
                return acc;
            }
            case "SIGN", "DSIGN", "ISIGN", "MOD", "DMOD", "AMOD", "DIM", "DDIM": {
                Op.Fn fn = name.contains("SIGN") ? Op.Fn.SIGN : name.contains("MOD") ? Op.Fn.MOD : Op.Fn.DIM;
                Type t = Type.promote(a.type(), args.get(1).type());
                return new Expr.Intrinsic(fn, List.of(conv(a, t), conv(args.get(1), t)), t);
            }
            case "INT", "IDINT", "IFIX":
                return a.type() == Type.INT ? a : new Expr.Intrinsic(Op.Fn.TRUNC, List.of(realPart(a, Type.REAL)), Type.INT);
            case "NINT", "IDNINT":
                return new Expr.Intrinsic(Op.Fn.NINT, List.of(realPart(a, Type.REAL)), Type.INT);
            default:
                throw new UnsupportedConstructException(pos, "intrinsic " + name);
        }
    }

    private static Expr realPart(Expr a, Type to) {
        if (a.type() == Type.COMPLEX) {
            return conv(new Expr.Intrinsic(Op.Fn.REAL_PART, List.of(a), Type.REAL), to);
        }
        return conv(a, to);
    }

    private static Type floating(Type t) {
        return t == Type.INT ? Type.REAL4 : t;
    }

    static Expr conv(Expr e, Type to) {
        if (e.type() == to) {
            return e;
        }
        return new Expr.Convert(e, to);
    }
}
