package io.megrad.codegen.cpp;

import io.megrad.codegen.ir.ConstantFolder;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Type;
import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The C and C++ library functions and constants the translated code may use, as IR operations. */
final class Intrinsics {
    private Intrinsics() {
    }

    private static final Map<String, Op.Fn> MATH = Map.ofEntries(
            Map.entry("sqrt", Op.Fn.SQRT), Map.entry("exp", Op.Fn.EXP), Map.entry("log", Op.Fn.LOG), Map.entry("log10", Op.Fn.LOG10),
            Map.entry("sin", Op.Fn.SIN), Map.entry("cos", Op.Fn.COS), Map.entry("tan", Op.Fn.TAN),
            Map.entry("asin", Op.Fn.ASIN), Map.entry("acos", Op.Fn.ACOS), Map.entry("atan", Op.Fn.ATAN),
            Map.entry("sinh", Op.Fn.SINH), Map.entry("cosh", Op.Fn.COSH), Map.entry("tanh", Op.Fn.TANH));
    /** Complex overloads the IR (and its emitters) evaluate. */
    private static final Set<Op.Fn> COMPLEX_MATH = Set.of(Op.Fn.SQRT, Op.Fn.EXP, Op.Fn.LOG);
    private static final Set<String> OTHER = Set.of("pow", "atan2", "abs", "fabs", "labs", "llabs", "min", "max", "fmin", "fmax",
            "real", "imag", "conj", "norm", "arg", "fmod", "copysign");
    /** {@code <cmath>}'s constants, each the double nearest the exact value (as the header's literals are). */
    private static final Map<String, Double> CONSTANTS = Map.ofEntries(
            Map.entry("M_PI", Math.PI), Map.entry("M_PI_2", Math.PI / 2), Map.entry("M_PI_4", Math.PI / 4),
            Map.entry("M_1_PI", 0.31830988618379067154), Map.entry("M_2_PI", 0.63661977236758134308),
            Map.entry("M_2_SQRTPI", 1.12837916709551257390), Map.entry("M_SQRT2", 1.41421356237309504880),
            Map.entry("M_SQRT1_2", 0.70710678118654752440), Map.entry("M_E", Math.E),
            Map.entry("M_LN2", 0.69314718055994530942), Map.entry("M_LN10", 2.30258509299404568402),
            Map.entry("M_LOG2E", 1.4426950408889634074), Map.entry("M_LOG10E", 0.43429448190325182765));

    static Expr constant(String name) {
        Double v = CONSTANTS.get(name);
        return v == null ? null : new Expr.RealConst(v, Type.REAL);
    }

    static boolean isOutputStream(String name) {
        String n = name.startsWith("std::") ? name.substring(5) : name;
        return n.equals("cout") || n.equals("cerr") || n.equals("clog");
    }

    /** C output functions: printing is not part of |M|^2. */
    static boolean isOutputCall(String name) {
        return name.equals("printf") || name.equals("fprintf") || name.equals("puts");
    }

    static boolean isExit(String name) {
        return name.equals("exit") || name.equals("abort");
    }

    /** True for the library functions {@link #apply} knows (all without side effects). */
    static boolean isPure(String name) {
        return MATH.containsKey(name) || OTHER.contains(name);
    }

    /** The IR expression for library function {@code name} applied to {@code args}, or null when unknown. */
    static Expr apply(String name, List<Expr> args, SourcePosition pos) {
        Op.Fn math = MATH.get(name);
        if (math != null) {
            arity(name, args, 1, pos);
            Expr a = floating(args.get(0), pos);
            if (a.type() == Type.COMPLEX && !COMPLEX_MATH.contains(math)) {
                throw new UnsupportedConstructException(pos, name + " of a complex value");
            }
            return new Expr.Intrinsic(math, List.of(a), a.type());
        }
        switch (name) {
            case "pow": {
                arity(name, args, 2, pos);
                Expr base = floating(args.get(0), pos);
                Expr ex = args.get(1);
                Expr k = ConstantFolder.tryFold(ex);
                // -Ofast expands integral constant exponents into multiplications, as the IR's integer power does.
                if (k instanceof Expr.RealConst r && r.value() == Math.rint(r.value()) && Math.abs(r.value()) <= 64) {
                    ex = new Expr.IntConst((long) r.value());
                } else if (k != null) {
                    ex = k;
                }
                if (ex.type() == Type.INT) {
                    return new Expr.Binary(Op.Binary.POW, base, ex, base.type());
                }
                Type t = Type.promote(base.type(), floating(ex, pos).type());
                return new Expr.Binary(Op.Binary.POW, conv(base, t), conv(floating(ex, pos), t), t);
            }
            case "atan2": {
                arity(name, args, 2, pos);
                Type t = Type.promote(floating(args.get(0), pos).type(), floating(args.get(1), pos).type());
                realOnly(name, t, pos);
                return new Expr.Intrinsic(Op.Fn.ATAN2, List.of(conv(floating(args.get(0), pos), t), conv(floating(args.get(1), pos), t)), t);
            }
            case "abs", "fabs", "labs", "llabs": {
                arity(name, args, 1, pos);
                Expr a = name.equals("fabs") ? floating(args.get(0), pos) : args.get(0);
                return new Expr.Intrinsic(Op.Fn.ABS, List.of(a), a.type() == Type.COMPLEX ? Type.REAL : a.type());
            }
            case "min", "max", "fmin", "fmax": {
                arity(name, args, 2, pos);
                Type t = Type.promote(args.get(0).type(), args.get(1).type());
                if (name.startsWith("f") && t == Type.INT) {
                    t = Type.REAL;
                }
                realOnly(name, t, pos);
                Op.Fn fn = name.endsWith("min") ? Op.Fn.MIN : Op.Fn.MAX;
                return new Expr.Intrinsic(fn, List.of(conv(args.get(0), t), conv(args.get(1), t)), t);
            }
            case "fmod", "copysign": {
                arity(name, args, 2, pos);
                Type t = Type.promote(floating(args.get(0), pos).type(), floating(args.get(1), pos).type());
                realOnly(name, t, pos);
                Op.Fn fn = name.equals("fmod") ? Op.Fn.MOD : Op.Fn.SIGN;
                return new Expr.Intrinsic(fn, List.of(conv(args.get(0), t), conv(args.get(1), t)), t);
            }
            case "real": {
                arity(name, args, 1, pos);
                Expr a = args.get(0);
                return a.type() == Type.COMPLEX ? new Expr.Intrinsic(Op.Fn.REAL_PART, List.of(a), Type.REAL) : floating(a, pos);
            }
            case "imag": {
                arity(name, args, 1, pos);
                Expr a = args.get(0);
                return a.type() == Type.COMPLEX ? new Expr.Intrinsic(Op.Fn.IMAG_PART, List.of(a), Type.REAL)
                        : new Expr.RealConst(0, floating(a, pos).type());
            }
            case "conj":
                arity(name, args, 1, pos);
                return new Expr.Intrinsic(Op.Fn.CONJG, List.of(conv(args.get(0), Type.COMPLEX)), Type.COMPLEX);
            case "norm": {
                arity(name, args, 1, pos);
                Expr a = args.get(0);
                if (a.type() != Type.COMPLEX) {
                    Expr x = floating(a, pos);
                    return new Expr.Binary(Op.Binary.MUL, x, x, x.type());
                }
                Expr re = new Expr.Intrinsic(Op.Fn.REAL_PART, List.of(a), Type.REAL);
                Expr im = new Expr.Intrinsic(Op.Fn.IMAG_PART, List.of(a), Type.REAL);
                return new Expr.Binary(Op.Binary.ADD, new Expr.Binary(Op.Binary.MUL, re, re, Type.REAL),
                        new Expr.Binary(Op.Binary.MUL, im, im, Type.REAL), Type.REAL);
            }
            case "arg": {
                arity(name, args, 1, pos);
                Expr a = conv(args.get(0), Type.COMPLEX);
                return new Expr.Intrinsic(Op.Fn.ATAN2, List.of(new Expr.Intrinsic(Op.Fn.IMAG_PART, List.of(a), Type.REAL),
                        new Expr.Intrinsic(Op.Fn.REAL_PART, List.of(a), Type.REAL)), Type.REAL);
            }
            default:
                return null;
        }
    }

    private static void arity(String name, List<Expr> args, int n, SourcePosition pos) {
        if (args.size() != n) {
            throw new InputException(pos, name + " takes " + n + " argument" + (n == 1 ? "" : "s") + ", not " + args.size());
        }
    }

    private static void realOnly(String name, Type t, SourcePosition pos) {
        if (t == Type.COMPLEX || !t.isNumeric()) {
            throw new InputException(pos, name + " of a " + t + " value");
        }
    }

    /** Integer arguments of the math functions are converted to double (C++'s integral overloads). */
    private static Expr floating(Expr e, SourcePosition pos) {
        if (e.type() == Type.INT) {
            return new Expr.Convert(e, Type.REAL);
        }
        if (!e.type().isNumeric()) {
            throw new InputException(pos, "numeric argument expected");
        }
        return e;
    }

    private static Expr conv(Expr e, Type t) {
        return e.type() == t ? e : new Expr.Convert(e, t);
    }
}
