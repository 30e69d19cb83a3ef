package io.megrad.codegen.emit.java;

import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Type;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles the real and complex expressions of one statement into straight-line Java over doubles,
 * and derives its tangents by statement-level preaccumulation (as CoDiPack's expression templates
 * do): the primal pass computes every node and its local partials, a symbolic reverse sweep over
 * the statement's graph gives the partial of each output w.r.t. each leaf, and one loop over the
 * directions combines the leaves' tangents. Complex arithmetic is expanded into real operations
 * here; complex functions (sqrt, exp, log) are single nodes with their holomorphic derivative, so
 * that e.g. {@code SQRT(DCMPLX(x))} at real positive x has a finite derivative.
 *
 * <p>The derivative rule of every operation lives in this class, next to its primal code.
 */
final class ExpressionGraph {
    /** How the graph reads variables and integer sub-expressions. */
    interface Context {
        Loc locate(Expr access);

        /** True when the accessed variable can carry no derivative (DATA-only constants). */
        boolean passive(Expr access);

        String intCode(Expr e, ExpressionGraph g);

        String boolCode(Expr e, ExpressionGraph g);
    }

    private final Context ctx;
    private final StringBuilder out;
    private final String indent;
    private final SourcePosition pos;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> leaves = new HashMap<>();
    private final String prefix;
    private int counter;

    ExpressionGraph(Context ctx, StringBuilder out, String indent, SourcePosition pos, String prefix) {
        this.ctx = ctx;
        this.out = out;
        this.indent = indent;
        this.pos = pos;
        this.prefix = prefix;
    }

    StringBuilder out() {
        return out;
    }

    String indent() {
        return indent;
    }

    // ------------------------------------------------------------------ node construction

    Node constant(double v) {
        return new Node(-1, literal(v), true, List.of(), List.of(), null, 0);
    }

    static String literal(double v) {
        if (v == 0) {
            return Double.doubleToRawLongBits(v) == 0 ? "0.0" : "-0.0";
        }
        if (Double.isNaN(v)) {
            return "Double.NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        String s = Double.toString(v);
        return v < 0 ? "(" + s + ")" : s;
    }

    /** A value with no derivative computed from non-differentiable code (integers, conversions). */
    Node passive(String code) {
        String name = prefix + (counter++);
        out.append(indent).append("final double ").append(name).append(" = ").append(code).append(";\n");
        Node n = new Node(nodes.size(), name, true, List.of(), List.of(), null, 0);
        return n;
    }

    private Node leaf(Loc loc, int ch) {
        String key = loc.key(ch);
        Node n = leaves.get(key);
        if (n == null) {
            String name = prefix + (counter++);
            out.append(indent).append("final double ").append(name).append(" = ").append(loc.value(ch)).append(";\n");
            n = new Node(nodes.size(), name, false, List.of(), List.of(), loc, ch);
            nodes.add(n);
            leaves.put(key, n);
        }
        return n;
    }

    /** A computed node: {@code code} uses child names; {@code partials[i]} is ∂node/∂children[i]. */
    private Node op(String code, List<Node> children, List<String> partials) {
        boolean allConstant = children.stream().allMatch(c -> c.constant);
        String name = prefix + (counter++);
        out.append(indent).append("final double ").append(name).append(" = ").append(code).append(";\n");
        if (allConstant) {
            return new Node(nodes.size(), name, true, List.of(), List.of(), null, 0);
        }
        Node n = new Node(nodes.size(), name, false, List.copyOf(children), new ArrayList<>(partials), null, 0);
        nodes.add(n);
        return n;
    }

    Node add(Node a, Node b) {
        if (a.isZero()) {
            return b;
        }
        if (b.isZero()) {
            return a;
        }
        return op(a.name + " + " + b.name, List.of(a, b), List.of("1.0", "1.0"));
    }

    Node sub(Node a, Node b) {
        if (b.isZero()) {
            return a;
        }
        if (a.isZero()) {
            return neg(b);
        }
        return op(a.name + " - " + b.name, List.of(a, b), List.of("1.0", "-1.0"));
    }

    Node neg(Node a) {
        if (a.isZero()) {
            return constant(0.0);
        }
        return op("-(" + a.name + ")", List.of(a), List.of("-1.0"));
    }

    Node mul(Node a, Node b) {
        if (a.isZero() || b.isZero()) {
            return constant(0.0);
        }
        if (a.isOne()) {
            return b;
        }
        if (b.isOne()) {
            return a;
        }
        return op(a.name + " * " + b.name, List.of(a, b), List.of(b.name, a.name));
    }

    Node div(Node a, Node b) {
        if (b.isOne()) {
            return a;
        }
        Node q = op(a.name + " / " + b.name, List.of(a, b), List.of("1.0 / " + b.name, "PLACEHOLDER"));
        if (q.constant) {
            return q;
        }
        // ∂(a/b)/∂b = -(a/b)/b, written with the quotient's own name.
        q.partials.set(1, "-" + q.name + " / " + b.name);
        return q;
    }

    private Node fn(String code, Node x, String partialTemplate) {
        Node n = op(code, List.of(x), List.of("PLACEHOLDER"));
        if (!n.constant) {
            n.partials.set(0, partialTemplate.replace("$X", x.name).replace("$Y", n.name));
        }
        return n;
    }

    private Node fn2(String code, Node x, Node y, String px, String py) {
        Node n = op(code, List.of(x, y), List.of("P", "P"));
        if (!n.constant) {
            n.partials.set(0, px.replace("$X", x.name).replace("$Z", y.name).replace("$Y", n.name));
            n.partials.set(1, py.replace("$X", x.name).replace("$Z", y.name).replace("$Y", n.name));
        }
        return n;
    }

    /** Rounds to single precision; the derivative passes through unchanged. */
    Node toSingle(Node a) {
        return fn("(double) (float) " + a.name, a, "1.0");
    }

    // ------------------------------------------------------------------ expressions

    /** Compiles a REAL/REAL4 expression. */
    Node real(Expr e) {
        Node[] c = channels(e);
        if (c.length != 1) {
            throw new IllegalStateException("expected a real expression: " + e);
        }
        return c[0];
    }

    /** Compiles a numeric expression into its channels: one for real, two (re, im) for complex. */
    Node[] channels(Expr e) {
        Type t = e.type();
        if (e instanceof Expr.RealConst r) {
            return new Node[]{constant(r.value())};
        }
        if (e instanceof Expr.ComplexConst c) {
            return new Node[]{constant(c.re()), constant(c.im())};
        }
        if (e instanceof Expr.IntConst i) {
            return new Node[]{constant((double) i.value())};
        }
        if (e instanceof Expr.Ref || e instanceof Expr.Element) {
            if (t == Type.INT) {
                return new Node[]{passive("(double) " + ctx.intCode(e, this))};
            }
            Loc loc = ctx.locate(e);
            if (ctx.passive(e)) {
                return t == Type.COMPLEX ? new Node[]{passive(loc.value(0)), passive(loc.value(1))} : new Node[]{passive(loc.value(0))};
            }
            if (t == Type.COMPLEX) {
                return new Node[]{leaf(loc, 0), leaf(loc, 1)};
            }
            return new Node[]{leaf(loc, 0)};
        }
        if (t == Type.INT) {
            return new Node[]{passive("(double) " + ctx.intCode(e, this))};
        }
        if (e instanceof Expr.Convert cv) {
            return convert(cv);
        }
        if (e instanceof Expr.Unary u) {
            Node[] a = channels(u.operand());
            Node[] r = new Node[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = neg(a[i]);
            }
            return round(r, t);
        }
        if (e instanceof Expr.Binary b) {
            return round(binary(b), t);
        }
        if (e instanceof Expr.Intrinsic f) {
            return round(intrinsic(f), t);
        }
        throw new UnsupportedConstructException(pos, "expression " + e.getClass().getSimpleName() + " of type " + t);
    }

    private Node[] round(Node[] r, Type t) {
        if (t == Type.REAL4) {
            return new Node[]{toSingle(r[0])};
        }
        return r;
    }

    private Node[] convert(Expr.Convert cv) {
        Type from = cv.operand().type();
        Type to = cv.type();
        if (from == Type.INT) {
            Node v = passive("(double) " + ctx.intCode(cv.operand(), this));
            if (to == Type.REAL4) {
                v = toSingle(v);
            }
            return to == Type.COMPLEX ? new Node[]{v, constant(0.0)} : new Node[]{v};
        }
        Node[] a = channels(cv.operand());
        return switch (to) {
            case REAL -> new Node[]{a[0]};
            case REAL4 -> new Node[]{toSingle(a[0])};
            case COMPLEX -> a.length == 2 ? a : new Node[]{a[0], constant(0.0)};
            default -> throw new UnsupportedConstructException(pos, "conversion from " + from + " to " + to);
        };
    }

    private Node[] binary(Expr.Binary b) {
        Type t = b.type();
        if (b.op() == Op.Binary.POW) {
            return power(b);
        }
        Node[] l = channels(b.left());
        Node[] r = channels(b.right());
        if (t != Type.COMPLEX) {
            return new Node[]{switch (b.op()) {
                case ADD -> add(l[0], r[0]);
                case SUB -> sub(l[0], r[0]);
                case MUL -> mul(l[0], r[0]);
                case DIV -> div(l[0], r[0]);
                default -> throw new UnsupportedConstructException(pos, "operator " + b.op() + " on " + t);
            }};
        }
        switch (b.op()) {
            case ADD:
                return new Node[]{add(l[0], r[0]), add(l[1], r[1])};
            case SUB:
                return new Node[]{sub(l[0], r[0]), sub(l[1], r[1])};
            case MUL:
                return cmul(l, r);
            case DIV:
                return cdiv(l, r);
            default:
                throw new UnsupportedConstructException(pos, "operator " + b.op() + " on COMPLEX");
        }
    }

    Node[] cmul(Node[] l, Node[] r) {
        Node re = sub(mul(l[0], r[0]), mul(l[1], r[1]));
        Node im = add(mul(l[0], r[1]), mul(l[1], r[0]));
        return new Node[]{re, im};
    }

    Node[] cdiv(Node[] l, Node[] r) {
        if (r[1].isZero()) {
            return new Node[]{div(l[0], r[0]), div(l[1], r[0])};
        }
        Node d = add(mul(r[0], r[0]), mul(r[1], r[1]));
        Node re = div(add(mul(l[0], r[0]), mul(l[1], r[1])), d);
        Node im = div(sub(mul(l[1], r[0]), mul(l[0], r[1])), d);
        return new Node[]{re, im};
    }

    private Node[] power(Expr.Binary b) {
        Node[] base = channels(b.left());
        if (b.right().type() == Type.INT) {
            if (b.right() instanceof Expr.IntConst n && Math.abs(n.value()) <= 64) {
                return ipow(base, (int) n.value());
            }
            String n = ctx.intCode(b.right(), this);
            if (base.length == 1) {
                Node nn = passive("(double) (" + n + ")");
                return new Node[]{fn2("io.megrad.runtime.Cx.powi(" + base[0].name + ", " + n + ")", base[0], nn,
                        "$Z * io.megrad.runtime.Cx.powi($X, " + n + " - 1)", "0.0")};
            }
            throw new UnsupportedConstructException(pos, "COMPLEX raised to a non-constant integer power");
        }
        Node[] ex = channels(b.right());
        if (base.length == 1) {
            return new Node[]{fn2("Math.pow(" + base[0].name + ", " + ex[0].name + ")", base[0], ex[0],
                    "$Z * Math.pow($X, $Z - 1.0)", "Math.log($X) * $Y")};
        }
        // z**w = exp(w * log z) for complex operands.
        return cexp(cmul(ex, clog(base)));
    }

    /** x**n by binary exponentiation, the way compilers expand constant integer powers. */
    private Node[] ipow(Node[] x, int n) {
        if (n == 0) {
            return x.length == 1 ? new Node[]{constant(1.0)} : new Node[]{constant(1.0), constant(0.0)};
        }
        if (n < 0) {
            Node[] p = ipow(x, -n);
            Node[] one = x.length == 1 ? new Node[]{constant(1.0)} : new Node[]{constant(1.0), constant(0.0)};
            return x.length == 1 ? new Node[]{div(one[0], p[0])} : cdiv(one, p);
        }
        Node[] result = null;
        Node[] base = x;
        int m = n;
        while (m > 0) {
            if ((m & 1) != 0) {
                result = result == null ? base : times(result, base);
            }
            m >>= 1;
            if (m > 0) {
                base = times(base, base);
            }
        }
        return result;
    }

    private Node[] times(Node[] a, Node[] b) {
        return a.length == 1 ? new Node[]{mul(a[0], b[0])} : cmul(a, b);
    }

    private Node[] intrinsic(Expr.Intrinsic f) {
        List<Expr> args = f.args();
        Expr a0 = args.get(0);
        switch (f.fn()) {
            case REAL_PART:
                return new Node[]{channels(a0)[0]};
            case IMAG_PART:
                return new Node[]{channels(a0)[1]};
            case CONJG: {
                Node[] z = channels(a0);
                return new Node[]{z[0], neg(z[1])};
            }
            case CMPLX:
                return new Node[]{real(a0), real(args.get(1))};
            case ABS: {
                Node[] z = channels(a0);
                if (z.length == 2) {
                    return new Node[]{fn2("Math.hypot(" + z[0].name + ", " + z[1].name + ")", z[0], z[1],
                            "($Y == 0.0 ? 0.0 : $X / $Y)", "($Y == 0.0 ? 0.0 : $Z / $Y)")};
                }
                return new Node[]{fn("Math.abs(" + z[0].name + ")", z[0], "($X < 0.0 ? -1.0 : 1.0)")};
            }
            case MIN:
            case MAX: {
                Node x = real(a0);
                Node y = real(args.get(1));
                String cmp = f.fn() == Op.Fn.MIN ? "<=" : ">=";
                String m = f.fn() == Op.Fn.MIN ? "Math.min" : "Math.max";
                // Fortran MIN/MAX pick an argument; the derivative is that argument's.
                return new Node[]{fn2(m + "(" + x.name + ", " + y.name + ")", x, y,
                        "($X " + cmp + " $Z ? 1.0 : 0.0)", "($X " + cmp + " $Z ? 0.0 : 1.0)")};
            }
            case SIGN: {
                Node x = real(a0);
                Node y = real(args.get(1));
                return new Node[]{fn2("io.megrad.runtime.Cx.sign(" + x.name + ", " + y.name + ")", x, y,
                        "(($Z >= 0.0) == ($X >= 0.0) ? 1.0 : -1.0)", "0.0")};
            }
            case MOD: {
                Node x = real(a0);
                Node y = real(args.get(1));
                return new Node[]{fn2(x.name + " % " + y.name, x, y, "1.0", "-(double) (long) ($X / $Z)")};
            }
            case DIM: {
                Node x = real(a0);
                Node y = real(args.get(1));
                return new Node[]{fn2("Math.max(" + x.name + " - " + y.name + ", 0.0)", x, y,
                        "($X > $Z ? 1.0 : 0.0)", "($X > $Z ? -1.0 : 0.0)")};
            }
            case ATAN2: {
                Node y = real(a0);
                Node x = real(args.get(1));
                return new Node[]{fn2("Math.atan2(" + y.name + ", " + x.name + ")", y, x,
                        "$Z / ($X * $X + $Z * $Z)", "-$X / ($X * $X + $Z * $Z)")};
            }
            default:
                break;
        }
        Node[] z = channels(a0);
        if (z.length == 2) {
            return switch (f.fn()) {
                case SQRT -> csqrt(z);
                case EXP -> cexp(z);
                case LOG -> clog(z);
                default -> throw new UnsupportedConstructException(pos, "COMPLEX intrinsic " + f.fn());
            };
        }
        Node x = z[0];
        return new Node[]{switch (f.fn()) {
            // sqrt'(0) is taken as 0: the argument is then a minimum (e.g. pt² of a particle along z), its
            // tangent is 0, and inf·0 would poison every derivative with NaN.
            case SQRT -> fn("Math.sqrt(" + x.name + ")", x, "($Y == 0.0 ? 0.0 : 0.5 / $Y)");
            case EXP -> fn("Math.exp(" + x.name + ")", x, "$Y");
            case LOG -> fn("Math.log(" + x.name + ")", x, "1.0 / $X");
            case LOG10 -> fn("Math.log10(" + x.name + ")", x, "1.0 / ($X * Math.log(10.0))");
            case SIN -> fn("Math.sin(" + x.name + ")", x, "Math.cos($X)");
            case COS -> fn("Math.cos(" + x.name + ")", x, "-Math.sin($X)");
            case TAN -> fn("Math.tan(" + x.name + ")", x, "1.0 + $Y * $Y");
            case ASIN -> fn("Math.asin(" + x.name + ")", x, "1.0 / Math.sqrt(1.0 - $X * $X)");
            case ACOS -> fn("Math.acos(" + x.name + ")", x, "-1.0 / Math.sqrt(1.0 - $X * $X)");
            case ATAN -> fn("Math.atan(" + x.name + ")", x, "1.0 / (1.0 + $X * $X)");
            case SINH -> fn("Math.sinh(" + x.name + ")", x, "Math.cosh($X)");
            case COSH -> fn("Math.cosh(" + x.name + ")", x, "Math.sinh($X)");
            case TANH -> fn("Math.tanh(" + x.name + ")", x, "1.0 - $Y * $Y");
            default -> throw new UnsupportedConstructException(pos, "intrinsic " + f.fn() + " on REAL");
        }};
    }

    /** A holomorphic function w = f(z) given w's parts and f'(z)'s parts (as code over node names). */
    private Node[] holomorphic(String reCode, String imCode, Node[] z, String dRe, String dIm) {
        Node wr = op(reCode, List.of(z[0], z[1]), List.of("P", "P"));
        Node wi = op(imCode, List.of(z[0], z[1]), List.of("P", "P"));
        if (!wr.constant) {
            String fr = dRe.replace("$WR", wr.name).replace("$WI", wi.name).replace("$ZR", z[0].name).replace("$ZI", z[1].name);
            String fi = dIm.replace("$WR", wr.name).replace("$WI", wi.name).replace("$ZR", z[0].name).replace("$ZI", z[1].name);
            wr.partials.set(0, fr);
            wr.partials.set(1, "-(" + fi + ")");
            wi.partials.set(0, fi);
            wi.partials.set(1, fr);
        }
        return new Node[]{wr, wi};
    }

    private Node[] csqrt(Node[] z) {
        return holomorphic("io.megrad.runtime.Cx.sqrtRe(" + z[0].name + ", " + z[1].name + ")",
                "io.megrad.runtime.Cx.sqrtIm(" + z[0].name + ", " + z[1].name + ")", z,
                "($WR == 0.0 && $WI == 0.0 ? 0.0 : $WR / (2.0 * ($WR * $WR + $WI * $WI)))",
                "($WR == 0.0 && $WI == 0.0 ? 0.0 : -$WI / (2.0 * ($WR * $WR + $WI * $WI)))");
    }

    private Node[] cexp(Node[] z) {
        return holomorphic("Math.exp(" + z[0].name + ") * Math.cos(" + z[1].name + ")",
                "Math.exp(" + z[0].name + ") * Math.sin(" + z[1].name + ")", z, "$WR", "$WI");
    }

    private Node[] clog(Node[] z) {
        return holomorphic("Math.log(Math.hypot(" + z[0].name + ", " + z[1].name + "))",
                "Math.atan2(" + z[1].name + ", " + z[0].name + ")", z,
                "$ZR / ($ZR * $ZR + $ZI * $ZI)", "-$ZI / ($ZR * $ZR + $ZI * $ZI)");
    }

    // ------------------------------------------------------------------ storing with tangents

    /**
     * Stores {@code value} (channels) into {@code target} and, when {@code directions} is not "0",
     * its tangents: partials by a reverse sweep over this statement's graph, then one loop over k.
     */
    void store(Loc target, Node[] value, boolean dual) {
        List<Map<String, String>> partialsPerChannel = new ArrayList<>();
        List<Map<String, Node>> leafPerChannel = new ArrayList<>();
        if (dual) {
            for (Node v : value) {
                Map<String, Node> leafNodes = new LinkedHashMap<>();
                partialsPerChannel.add(sweep(v, leafNodes));
                leafPerChannel.add(leafNodes);
            }
        }
        for (int ch = 0; ch < value.length; ch++) {
            out.append(indent).append(target.value(ch)).append(" = ").append(value[ch].name).append(";\n");
        }
        if (!dual) {
            return;
        }
        out.append(indent).append("for (int $k = 0; $k < N; $k++) {\n");
        for (int ch = 0; ch < value.length; ch++) {
            StringBuilder sum = new StringBuilder();
            for (Map.Entry<String, String> e : partialsPerChannel.get(ch).entrySet()) {
                Node leaf = leafPerChannel.get(ch).get(e.getKey());
                String tangent = leaf.leaf.tangentArray() + "[" + leaf.leaf.tangentBase(leaf.leafChannel) + " + $k]";
                if (sum.length() > 0) {
                    sum.append(" + ");
                }
                sum.append(e.getValue().equals("1.0") ? tangent : e.getValue() + " * " + tangent);
            }
            out.append(indent).append("    final double $t").append(ch).append(" = ").append(sum.length() == 0 ? "0.0" : sum).append(";\n");
        }
        for (int ch = 0; ch < value.length; ch++) {
            out.append(indent).append("    ").append(target.tangentArray()).append("[").append(target.tangentBase(ch)).append(" + $k] = $t").append(ch).append(";\n");
        }
        out.append(indent).append("}\n");
    }

    /**
     * Reverse-mode counterpart of {@link #store}: stores the value and records the statement on
     * the tape (output addresses, then each leaf's address and partial). A statement without
     * active leaves is still recorded, so the sweep clears the adjoint of the overwritten value.
     */
    void record(Loc target, Node[] value, boolean holomorphic) {
        List<Map<String, String>> partialsPerChannel = new ArrayList<>();
        List<Map<String, Node>> leafPerChannel = new ArrayList<>();
        for (Node v : value) {
            Map<String, Node> leafNodes = new LinkedHashMap<>();
            partialsPerChannel.add(sweep(v, leafNodes));
            leafPerChannel.add(leafNodes);
        }
        for (int ch = 0; ch < value.length; ch++) {
            out.append(indent).append(target.value(ch)).append(" = ").append(value[ch].name).append(";\n");
        }
        List<String[]> entries = new ArrayList<>();
        String reserve;
        if (value.length == 2 && holomorphic) {
            // One complex partial per leaf: a complex leaf by its real part's address (∂u/∂x, ∂v/∂x),
            // a real leaf as ~address with (∂u/∂r, ∂v/∂r).
            Map<String, Node> byLocation = new LinkedHashMap<>();
            for (Map<String, Node> m : leafPerChannel) {
                for (Node leaf : m.values()) {
                    Loc loc = leaf.leaf;
                    byLocation.putIfAbsent(loc.key(0), loc.channels() == 2 ? leafAt(m, loc) : leaf);
                }
            }
            for (Map.Entry<String, Node> e : byLocation.entrySet()) {
                Node leaf = e.getValue();
                Loc loc = leaf.leaf;
                String key = loc.key(loc.channels() == 2 ? 0 : leaf.leafChannel);
                String a = partialsPerChannel.get(0).getOrDefault(key, "0.0");
                String b = partialsPerChannel.get(1).getOrDefault(key, "0.0");
                String addr = loc.channels() == 2 ? loc.tangentBase(0) : "~(" + loc.tangentBase(leaf.leafChannel) + ")";
                entries.add(new String[]{addr, a, b});
            }
            reserve = "tape.reserveHolomorphic(" + target.tangentBase(0) + ", " + entries.size() + ")";
        } else {
            for (int ch = 0; ch < value.length; ch++) {
                for (Map.Entry<String, String> e : partialsPerChannel.get(ch).entrySet()) {
                    Node leaf = leafPerChannel.get(ch).get(e.getKey());
                    entries.add(new String[]{leaf.leaf.tangentBase(leaf.leafChannel), e.getValue(), null});
                }
            }
            reserve = value.length == 1
                    ? "tape.reserveReal(" + target.tangentBase(0) + ", " + entries.size() + ")"
                    : "tape.reserveChannels(" + target.tangentBase(0) + ", " + partialsPerChannel.get(0).size() + ", "
                    + target.tangentBase(1) + ", " + partialsPerChannel.get(1).size() + ")";
        }
        // Generated names start with $, which neither Fortran nor C++ names do.
        String tp = "$" + prefix + "tp";
        out.append(indent).append("final int ").append(tp).append(" = ").append(reserve).append(";\n");
        if (entries.isEmpty()) {
            return;
        }
        out.append(indent).append("{\n");
        out.append(indent).append("    final int[] $ta = tape.address;\n");
        out.append(indent).append("    final double[] $tr = tape.re;\n");
        if (value.length == 2 && holomorphic) {
            out.append(indent).append("    final double[] $ti = tape.im;\n");
        }
        for (int i = 0; i < entries.size(); i++) {
            String[] e = entries.get(i);
            String at = i == 0 ? tp : tp + " + " + i;
            out.append(indent).append("    $ta[").append(at).append("] = ").append(e[0]).append(";\n");
            out.append(indent).append("    $tr[").append(at).append("] = ").append(e[1]).append(";\n");
            if (e[2] != null) {
                out.append(indent).append("    $ti[").append(at).append("] = ").append(e[2]).append(";\n");
            }
        }
        out.append(indent).append("}\n");
    }

    /** The leaf node of {@code loc}'s real part, which a holomorphic record is keyed by. */
    private Node leafAt(Map<String, Node> leafNodes, Loc loc) {
        Node n = leaves.get(loc.key(0));
        return n != null ? n : leafNodes.get(loc.key(1));
    }

    /**
     * The adjoint of this statement as code: a reverse sweep over the graph seeded with the
     * adjoints of its output channels ({@code seeds}, code of each channel's adjoint), adding each
     * leaf's share to the adjoint variable {@code leafAdjoint} names. Unlike {@link #record}, no
     * partial is stored: this is the vector-Jacobian product itself, written to {@code target}
     * (which may be emitted after later statements, since it only reads this graph's final names).
     */
    void adjoint(Node[] outputs, String[] seeds, StringBuilder target, String targetIndent,
                 java.util.function.Function<Node, String> leafAdjoint) {
        reverseSweep(outputs, seeds, target, targetIndent,
                (leaf, adj) -> target.append(targetIndent).append(leafAdjoint.apply(leaf)).append(" += ").append(adj).append(";\n"));
    }

    /** Reverse sweep from {@code output}: returns leaf key → name of the partial ∂output/∂leaf. */
    private Map<String, String> sweep(Node output, Map<String, Node> leafNodes) {
        Map<String, String> result = new LinkedHashMap<>();
        reverseSweep(new Node[]{output}, new String[]{"1.0"}, out, indent, (leaf, adj) -> {
            String key = leaf.leaf.key(leaf.leafChannel);
            result.put(key, adj);
            leafNodes.put(key, leaf);
        });
        return result;
    }

    /**
     * The symbolic reverse sweep both uses share: from the outputs, seeded with {@code seeds}, each
     * node's adjoint is the sum of its contributions (a named temporary when not a single name),
     * passed on to its children times its local partials; a leaf's adjoint goes to {@code atLeaf}.
     */
    private void reverseSweep(Node[] outputs, String[] seeds, StringBuilder target, String targetIndent,
                              java.util.function.BiConsumer<Node, String> atLeaf) {
        Map<Integer, List<String>> contributions = new HashMap<>();
        int top = -1;
        for (int ch = 0; ch < outputs.length; ch++) {
            if (!outputs[ch].constant) {
                contributions.computeIfAbsent(outputs[ch].id, k -> new ArrayList<>()).add(seeds[ch]);
                top = Math.max(top, outputs[ch].id);
            }
        }
        for (int i = top; i >= 0; i--) {
            Node n = nodes.get(i);
            List<String> contrib = contributions.remove(i);
            if (contrib == null) {
                continue;
            }
            String adj;
            if (contrib.size() == 1 && isSimple(contrib.get(0))) {
                adj = contrib.get(0);
            } else {
                adj = prefix + "b" + (counter++);
                target.append(targetIndent).append("final double ").append(adj).append(" = ").append(String.join(" + ", contrib)).append(";\n");
            }
            if (n.isLeaf()) {
                atLeaf.accept(n, adj);
                continue;
            }
            for (int c = 0; c < n.children.size(); c++) {
                Node child = n.children.get(c);
                if (child.constant) {
                    continue;
                }
                String p = n.partials.get(c);
                String term;
                if (p.equals("0.0")) {
                    continue;
                } else if (adj.equals("1.0")) {
                    term = "(" + p + ")";
                } else if (p.equals("1.0")) {
                    term = adj;
                } else if (p.equals("-1.0")) {
                    term = "(-" + adj + ")";
                } else {
                    term = adj + " * (" + p + ")";
                }
                contributions.computeIfAbsent(child.id, k -> new ArrayList<>()).add(term);
            }
        }
    }

    private boolean isSimple(String code) {
        return code.equals("1.0") || code.matches("-?[A-Za-z_$][A-Za-z0-9_$]*");
    }
}
