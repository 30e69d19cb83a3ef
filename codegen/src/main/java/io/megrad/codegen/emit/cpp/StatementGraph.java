package io.megrad.codegen.emit.cpp;

import io.megrad.codegen.emit.ComplexExpansion;
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
final class StatementGraph extends ComplexExpansion<StatementGraph.Node> {
    /** How the graph reads variables and integer sub-expressions. */
    interface Context {
        /** C++ code accessing a scalar or element (a real variable, or a complex one's parts via .re/.im). */
        String access(Expr access);

        /** True when the accessed variable is a passive constant (level 0: C++ double). */
        boolean passive(Expr access);

        String intCode(Expr e);
    }

    /** A real-valued node: a {@code const double} named {@code name} (or a literal); leaves have an access. */
    static final class Node implements ComplexExpansion.GraphNode {
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

        @Override
        public boolean isZero() {
            return constant && (name.equals("0.0") || name.equals("(-0.0)"));
        }

        boolean isOne() {
            return constant && name.equals("1.0");
        }
    }

    private final Context ctx;
    private final StringBuilder out;
    private final String indent;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> leaves = new HashMap<>();
    private final String prefix;
    private int counter;

    StatementGraph(Context ctx, StringBuilder out, String indent, SourcePosition pos, String prefix) {
        super(pos);
        this.ctx = ctx;
        this.out = out;
        this.indent = indent;
        this.prefix = prefix;
    }

    // ------------------------------------------------------------------ nodes

    @Override
    public Node constant(double v) {
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

    @Override
    public Node add(Node a, Node b) {
        if (a.isZero()) {
            return b;
        }
        if (b.isZero()) {
            return a;
        }
        return op(a.name + " + " + b.name, List.of(a, b), List.of("1.0", "1.0"));
    }

    @Override
    public Node sub(Node a, Node b) {
        if (b.isZero()) {
            return a;
        }
        if (a.isZero()) {
            return neg(b);
        }
        return op(a.name + " - " + b.name, List.of(a, b), List.of("1.0", "-1.0"));
    }

    @Override
    public Node neg(Node a) {
        if (a.isZero()) {
            return constant(0.0);
        }
        return op("-" + a.name, List.of(a), List.of("-1.0"));
    }

    @Override
    public Node mul(Node a, Node b) {
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

    @Override
    public Node div(Node a, Node b) {
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

    // ------------------------------------------------------------------ what the shared expansion needs

    @Override
    protected Node[] nodes(int n) {
        return new Node[n];
    }

    @Override
    protected Node passiveInt(Expr e) {
        return passive("double(" + ctx.intCode(e) + ")");
    }

    @Override
    protected Node[] access(Expr e) {
        String a = ctx.access(e);
        if (ctx.passive(e)) {
            return e.type() == Type.COMPLEX ? new Node[]{passive(a + ".re"), passive(a + ".im")} : new Node[]{passive(a)};
        }
        return e.type() == Type.COMPLEX ? new Node[]{leaf(a + ".re"), leaf(a + ".im")} : new Node[]{leaf(a)};
    }

    @Override
    protected Node toSingle(Node x) {
        return rule1("Round4", x);
    }

    @Override
    protected Node powInt(Node x, Expr exponent) {
        String n = ctx.intCode(exponent);
        Node nn = passive("double(" + n + ")");
        Node p = op("megrad::powi(" + x.name + ", " + n + ")", List.of(x, nn), List.of("0.0", "0.0"));
        if (!p.constant) {
            p.partials.set(0, nn.name + " * megrad::powi(" + x.name + ", " + n + " - 1)");
        }
        return p;
    }

    @Override
    protected Node pow(Node x, Node y) {
        return rule2("Pow", x, y);
    }

    @Override
    protected Node function(Op.Fn f, Node x) {
        String rule = switch (f) {
            case ABS -> "Abs";
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
            default -> throw new UnsupportedConstructException(pos, "intrinsic " + f + " on REAL");
        };
        return rule1(rule, x);
    }

    @Override
    protected Node function2(Op.Fn f, Node x, Node y) {
        String rule = switch (f) {
            case ABS -> "Hypot";
            case MIN -> "Min";
            case MAX -> "Max";
            case SIGN -> "Sign";
            case MOD -> "Mod";
            case DIM -> "Dim";
            case ATAN2 -> "Atan2";
            default -> throw new UnsupportedConstructException(pos, "intrinsic " + f + " of two arguments");
        };
        return rule2(rule, x, y);
    }

    /** w = f(z): each part is a two-argument rule (CsqrtRe/CsqrtIm, ...) with the Cauchy-Riemann partials. */
    @Override
    protected Node[] holomorphic(Op.Fn f, Node[] z) {
        String rule = switch (f) {
            case SQRT -> "Csqrt";
            case EXP -> "Cexp";
            case LOG -> "Clog";
            default -> throw new UnsupportedConstructException(pos, "COMPLEX intrinsic " + f);
        };
        return new Node[]{rule2(rule + "Re", z[0], z[1]), rule2(rule + "Im", z[0], z[1])};
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
