package io.megrad.codegen.emit.cpp;

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
 * Compiles one assignment's real or complex expression into straight-line C++ over {@code double}
 * and differentiates it by statement-level preaccumulation, as CoDiPack's expression templates and
 * megrad's Java emitter do: the primal pass computes every node, a symbolic reverse sweep over the
 * statement's graph gives the partial of each output channel w.r.t. each leaf (a variable that can
 * carry a derivative), and {@code megrad::push(target, value, partial, leaf, ...)} hands them to the
 * scalar: a Dual combines the leaves' tangents once, CoDiPack records one statement with those
 * Jacobians (StatementPushHelper). Intermediate nodes never carry derivatives, so the cost per
 * statement is one primal evaluation plus one term per leaf and direction.
 *
 * <p>Complex arithmetic is expanded into real operations here (with the Java port's simplifications
 * of constant zero and one operands, so both backends compute the same numbers); every function is
 * a rule of {@code native/include/megrad/ops.hpp}, which holds its primal and partials side by side.
 */
final class StatementGraph {
    /** How the graph reads variables and integer sub-expressions. */
    interface Context {
        /** C++ code accessing a scalar or element (a real variable, or a complex one's parts via .re/.im). */
        String access(Expr access);

        /** True when the accessed variable is a passive constant (level 0: C++ double). */
        boolean passive(Expr access);

        String intCode(Expr e);
    }

    /** A real-valued node: a {@code const double} named {@code name} (or a literal); leaves have an access. */
    static final class Node {
        final int id;
        final String name;
        final boolean constant;
        final List<Node> children;
        final List<String> partials;
        final String leaf;

        Node(int id, String name, boolean constant, List<Node> children, List<String> partials, String leaf) {
            this.id = id;
            this.name = name;
            this.constant = constant;
            this.children = children;
            this.partials = partials;
            this.leaf = leaf;
        }

        boolean isZero() {
            return constant && (name.equals("0.0") || name.equals("(-0.0)"));
        }

        boolean isOne() {
            return constant && name.equals("1.0");
        }
    }

    private final Context ctx;
    private final StringBuilder out;
    private final String indent;
    private final SourcePosition pos;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> leaves = new HashMap<>();
    private final String prefix;
    private int counter;

    StatementGraph(Context ctx, StringBuilder out, String indent, SourcePosition pos, String prefix) {
        this.ctx = ctx;
        this.out = out;
        this.indent = indent;
        this.pos = pos;
        this.prefix = prefix;
    }

    // ------------------------------------------------------------------ nodes

    Node constant(double v) {
        return new Node(-1, CppEmitter.literal(v), true, List.of(), List.of(), null);
    }

    private Node passive(String code) {
        String name = prefix + (counter++);
        out.append(indent).append("const double ").append(name).append(" = ").append(code).append(";\n");
        return new Node(-1, name, true, List.of(), List.of(), null);
    }

    private Node leaf(String access) {
        Node n = leaves.get(access);
        if (n == null) {
            String name = prefix + (counter++);
            out.append(indent).append("const double ").append(name).append(" = megrad::value(").append(access).append(");\n");
            n = new Node(nodes.size(), name, false, List.of(), List.of(), access);
            nodes.add(n);
            leaves.put(access, n);
        }
        return n;
    }

    /** A computed node: {@code code} uses child names; {@code partials[i]} is d node / d children[i]. */
    private Node op(String code, List<Node> children, List<String> partials) {
        boolean allConstant = children.stream().allMatch(c -> c.constant);
        String name = prefix + (counter++);
        out.append(indent).append("const double ").append(name).append(" = ").append(code).append(";\n");
        if (allConstant) {
            return new Node(-1, name, true, List.of(), List.of(), null);
        }
        Node n = new Node(nodes.size(), name, false, List.copyOf(children), new ArrayList<>(partials), null);
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
        return op("-" + a.name, List.of(a), List.of("-1.0"));
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
        Node q = op(a.name + " / " + b.name, List.of(a, b), List.of("1.0 / " + b.name, "0.0"));
        if (!q.constant) {
            // d(a/b)/db = -(a/b)/b, written with the quotient's own name.
            q.partials.set(1, "-" + q.name + " / " + b.name);
        }
        return q;
    }

    /** A one-argument rule of ops.hpp: primal and partial come from the rule. */
    private Node rule1(String rule, Node x) {
        String r = "megrad::rules::" + rule;
        Node n = op(r + "::primal(" + x.name + ")", List.of(x), List.of("0.0"));
        if (!n.constant) {
            n.partials.set(0, r + "::d(" + x.name + ", " + n.name + ")");
        }
        return n;
    }

    private Node rule2(String rule, Node x, Node y) {
        String r = "megrad::rules::" + rule;
        Node n = op(r + "::primal(" + x.name + ", " + y.name + ")", List.of(x, y), List.of("0.0", "0.0"));
        if (!n.constant) {
            String args = "(" + x.name + ", " + y.name + ", " + n.name + ")";
            n.partials.set(0, r + "::dx" + args);
            n.partials.set(1, r + "::dy" + args);
        }
        return n;
    }

    // ------------------------------------------------------------------ expressions

    Node real(Expr e) {
        Node[] c = channels(e);
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
        if (t == Type.INT) {
            return new Node[]{passive("double(" + ctx.intCode(e) + ")")};
        }
        if (e instanceof Expr.Ref || e instanceof Expr.Element) {
            String a = ctx.access(e);
            if (ctx.passive(e)) {
                return t == Type.COMPLEX ? new Node[]{passive(a + ".re"), passive(a + ".im")} : new Node[]{passive(a)};
            }
            if (t == Type.COMPLEX) {
                return new Node[]{leaf(a + ".re"), leaf(a + ".im")};
            }
            return new Node[]{leaf(a)};
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
        return t == Type.REAL4 ? new Node[]{rule1("Round4", r[0])} : r;
    }

    private Node[] convert(Expr.Convert cv) {
        Type from = cv.operand().type();
        Type to = cv.type();
        if (from == Type.INT) {
            Node v = passive("double(" + ctx.intCode(cv.operand()) + ")");
            if (to == Type.REAL4) {
                v = rule1("Round4", v);
            }
            return to == Type.COMPLEX ? new Node[]{v, constant(0.0)} : new Node[]{v};
        }
        Node[] a = channels(cv.operand());
        return switch (to) {
            case REAL -> new Node[]{a[0]};
            case REAL4 -> new Node[]{rule1("Round4", a[0])};
            case COMPLEX -> a.length == 2 ? a : new Node[]{a[0], constant(0.0)};
            default -> throw new UnsupportedConstructException(pos, "conversion from " + from + " to " + to);
        };
    }

    private Node[] binary(Expr.Binary b) {
        if (b.op() == Op.Binary.POW) {
            return power(b);
        }
        Node[] l = channels(b.left());
        Node[] r = channels(b.right());
        if (b.type() != Type.COMPLEX) {
            return new Node[]{switch (b.op()) {
                case ADD -> add(l[0], r[0]);
                case SUB -> sub(l[0], r[0]);
                case MUL -> mul(l[0], r[0]);
                case DIV -> div(l[0], r[0]);
                default -> throw new UnsupportedConstructException(pos, "operator " + b.op() + " on " + b.type());
            }};
        }
        l = l.length == 2 ? l : new Node[]{l[0], constant(0.0)};
        r = r.length == 2 ? r : new Node[]{r[0], constant(0.0)};
        return switch (b.op()) {
            case ADD -> new Node[]{add(l[0], r[0]), add(l[1], r[1])};
            case SUB -> new Node[]{sub(l[0], r[0]), sub(l[1], r[1])};
            case MUL -> cmul(l, r);
            case DIV -> cdiv(l, r);
            default -> throw new UnsupportedConstructException(pos, "operator " + b.op() + " on COMPLEX");
        };
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
            String n = ctx.intCode(b.right());
            if (base.length == 1) {
                Node nn = passive("double(" + n + ")");
                Node p = op("megrad::powi(" + base[0].name + ", " + n + ")", List.of(base[0], nn), List.of("0.0", "0.0"));
                if (!p.constant) {
                    p.partials.set(0, nn.name + " * megrad::powi(" + base[0].name + ", " + n + " - 1)");
                }
                return new Node[]{p};
            }
            throw new UnsupportedConstructException(pos, "COMPLEX raised to a non-constant integer power");
        }
        Node[] ex = channels(b.right());
        if (base.length == 1 && ex.length == 1) {
            return new Node[]{rule2("Pow", base[0], ex[0])};
        }
        base = base.length == 2 ? base : new Node[]{base[0], constant(0.0)};
        ex = ex.length == 2 ? ex : new Node[]{ex[0], constant(0.0)};
        // z**w = exp(w log z) for complex operands.
        return cexp(cmul(ex, clog(base)));
    }

    /** x**n by binary exponentiation, the way compilers expand constant integer powers. */
    private Node[] ipow(Node[] x, int n) {
        Node[] one = x.length == 1 ? new Node[]{constant(1.0)} : new Node[]{constant(1.0), constant(0.0)};
        if (n == 0) {
            return one;
        }
        if (n < 0) {
            Node[] p = ipow(x, -n);
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
            case IMAG_PART: {
                Node[] z = channels(a0);
                return new Node[]{z.length == 2 ? z[1] : constant(0.0)};
            }
            case CONJG: {
                Node[] z = channels(a0);
                return new Node[]{z[0], z.length == 2 ? neg(z[1]) : constant(0.0)};
            }
            case CMPLX:
                return new Node[]{real(a0), args.size() > 1 ? real(args.get(1)) : constant(0.0)};
            case ABS: {
                Node[] z = channels(a0);
                return new Node[]{z.length == 2 ? rule2("Hypot", z[0], z[1]) : rule1("Abs", z[0])};
            }
            case MIN:
                return new Node[]{rule2("Min", real(a0), real(args.get(1)))};
            case MAX:
                return new Node[]{rule2("Max", real(a0), real(args.get(1)))};
            case SIGN:
                return new Node[]{rule2("Sign", real(a0), real(args.get(1)))};
            case MOD:
                return new Node[]{rule2("Mod", real(a0), real(args.get(1)))};
            case DIM:
                return new Node[]{rule2("Dim", real(a0), real(args.get(1)))};
            case ATAN2:
                return new Node[]{rule2("Atan2", real(a0), real(args.get(1)))};
            default:
                break;
        }
        Node[] z = channels(a0);
        if (f.type() == Type.COMPLEX || z.length == 2) {
            if (z.length == 1) {
                z = new Node[]{z[0], constant(0.0)};
            }
            return switch (f.fn()) {
                case SQRT -> holomorphic("Csqrt", z);
                case EXP -> holomorphic("Cexp", z);
                case LOG -> holomorphic("Clog", z);
                default -> throw new UnsupportedConstructException(pos, "COMPLEX intrinsic " + f.fn());
            };
        }
        String rule = switch (f.fn()) {
            case SQRT -> "Sqrt";
            case EXP -> "Exp";
            case LOG -> "Log";
            case LOG10 -> "Log10";
            case SIN -> "Sin";
            case COS -> "Cos";
            case TAN -> "Tan";
            case ASIN -> "Asin";
            case ACOS -> "Acos";
            case ATAN -> "Atan";
            case SINH -> "Sinh";
            case COSH -> "Cosh";
            case TANH -> "Tanh";
            default -> throw new UnsupportedConstructException(pos, "intrinsic " + f.fn() + " on REAL");
        };
        return new Node[]{rule1(rule, z[0])};
    }

    /** w = f(z): each part is a two-argument rule (CsqrtRe/CsqrtIm, ...) with the Cauchy-Riemann partials. */
    private Node[] holomorphic(String rule, Node[] z) {
        return new Node[]{rule2(rule + "Re", z[0], z[1]), rule2(rule + "Im", z[0], z[1])};
    }

    private Node[] cexp(Node[] z) {
        return holomorphic("Cexp", z);
    }

    private Node[] clog(Node[] z) {
        return holomorphic("Clog", z);
    }

    // ------------------------------------------------------------------ storing

    /**
     * Stores {@code value} into {@code target} (channel accesses: one, or {@code .re}/{@code .im}),
     * whose C++ scalar type is {@code scalar}. When that type is active, each channel is pushed with
     * its partials w.r.t. the statement's leaves; a target that is also a leaf goes through temporaries.
     */
    void store(String[] target, Node[] value, String scalar) {
        List<Map<String, String>> partials = new ArrayList<>();
        for (Node v : value) {
            partials.add(sweep(v));
        }
        boolean targetIsLeaf = false;
        for (String t : target) {
            targetIsLeaf |= leaves.containsKey(t);
        }
        String in = indent + "    ";
        out.append(indent).append("if constexpr (megrad::IsActive<").append(scalar).append(">::value) {\n");
        for (String line : adjoints) {
            out.append(in).append(line).append('\n');
        }
        String[] dest = target;
        if (targetIsLeaf && value.length > 1) {
            dest = new String[value.length];
            for (int ch = 0; ch < value.length; ch++) {
                dest[ch] = prefix + "out" + ch;
                out.append(in).append(scalar).append(' ').append(dest[ch]).append(";\n");
            }
        }
        for (int ch = 0; ch < value.length; ch++) {
            out.append(in).append("megrad::push(").append(dest[ch]).append(", ").append(value[ch].name);
            for (Map.Entry<String, String> e : partials.get(ch).entrySet()) {
                out.append(", ").append(e.getValue()).append(", ").append(e.getKey());
            }
            out.append(");\n");
        }
        if (dest != target) {
            for (int ch = 0; ch < value.length; ch++) {
                out.append(in).append(target[ch]).append(" = ").append(dest[ch]).append(";\n");
            }
        }
        out.append(indent).append("} else {\n");
        for (int ch = 0; ch < value.length; ch++) {
            out.append(in).append(target[ch]).append(" = ").append(value[ch].name).append(";\n");
        }
        out.append(indent).append("}\n");
    }

    /** The sweeps' adjoint temporaries, emitted inside the active branch only. */
    private final List<String> adjoints = new ArrayList<>();

    /** Reverse sweep from {@code output}: leaf access → the C++ expression of d output / d leaf. */
    private Map<String, String> sweep(Node output) {
        Map<String, String> result = new LinkedHashMap<>();
        if (output.constant) {
            return result;
        }
        Map<Integer, List<String>> contributions = new HashMap<>();
        contributions.computeIfAbsent(output.id, k -> new ArrayList<>()).add("1.0");
        for (int i = output.id; i >= 0; i--) {
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
                adjoints.add("const double " + adj + " = " + String.join(" + ", contrib) + ";");
            }
            if (n.leaf != null) {
                result.put(n.leaf, adj);
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
        return result;
    }

    private static boolean isSimple(String code) {
        return code.equals("1.0") || code.matches("-?[A-Za-z_][A-Za-z0-9_]*");
    }
}
