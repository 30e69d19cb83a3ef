package io.megrad.codegen.emit.java;

import io.megrad.codegen.emit.ComplexExpansion;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Type;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
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
final class ExpressionGraph extends ComplexExpansion<Node> {
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
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Node> leaves = new HashMap<>();
    private final String prefix;
    private int counter;
    /**
     * Each negation node and the node it negates. The complex expansion negates often (conjugates,
     * products with ±i); a negated operand of a product or quotient moves out of it, and a sum or
     * difference with one uses the operand itself. All of it is exact in IEEE arithmetic (rounding
     * is symmetric in the sign), so values are unchanged and most negations are never computed.
     */
    private final Map<Node, Node> negations = new IdentityHashMap<>();

    ExpressionGraph(Context ctx, StringBuilder out, String indent, SourcePosition pos, String prefix) {
        super(pos);
        this.ctx = ctx;
        this.out = out;
        this.indent = indent;
        this.prefix = prefix;
    }

    StringBuilder out() {
        return out;
    }

    String indent() {
        return indent;
    }

    // ------------------------------------------------------------------ node construction

    @Override
    public Node constant(double v) {
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
            String name;
            if (loc.isFinalLocal(ch)) {
                name = loc.value(ch); // a copy would only cost bytecode
            } else {
                name = prefix + (counter++);
                out.append(indent).append("final double ").append(name).append(" = ").append(loc.value(ch)).append(";\n");
            }
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

    @Override
    public Node add(Node a, Node b) {
        if (a.isZero()) {
            return b;
        }
        if (b.isZero()) {
            return a;
        }
        // a + (-x) is a - x, and (-x) + b is b - x, exactly: the negation need not be computed.
        if (negations.containsKey(a) && negations.containsKey(b)) {
            return neg(add(negations.get(a), negations.get(b)));
        }
        if (negations.containsKey(b)) {
            return sub(a, negations.get(b));
        }
        if (negations.containsKey(a)) {
            return sub(b, negations.get(a));
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
        if (negations.containsKey(a) && negations.containsKey(b)) {
            return sub(negations.get(b), negations.get(a));
        }
        if (negations.containsKey(b)) {
            return add(a, negations.get(b));
        }
        if (negations.containsKey(a)) {
            return neg(add(negations.get(a), b));
        }
        return op(a.name + " - " + b.name, List.of(a, b), List.of("1.0", "-1.0"));
    }

    @Override
    public Node neg(Node a) {
        if (a.isZero()) {
            return constant(0.0);
        }
        if (negations.containsKey(a)) {
            return negations.get(a);
        }
        Node n = op("-(" + a.name + ")", List.of(a), List.of("-1.0"));
        if (!n.constant) {
            negations.put(n, a);
        }
        return n;
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
        Node unsigned = signsOut(a, b, this::mul);
        if (unsigned != null) {
            return unsigned;
        }
        return op(a.name + " * " + b.name, List.of(a, b), List.of(b.name, a.name));
    }

    @Override
    public Node div(Node a, Node b) {
        if (b.isOne()) {
            return a;
        }
        Node unsigned = signsOut(a, b, this::div);
        if (unsigned != null) {
            return unsigned;
        }
        Node q = op(a.name + " / " + b.name, List.of(a, b), List.of("1.0 / " + b.name, "PLACEHOLDER"));
        if (q.constant) {
            return q;
        }
        // ∂(a/b)/∂b = -(a/b)/b, written with the quotient's own name.
        q.partials.set(1, "-" + q.name + " / " + b.name);
        return q;
    }

    /**
     * {@code op(a, b)} (a product or quotient) with its operands' negations moved out, to be
     * absorbed by the sum it ends up in; null when neither operand is a negation.
     */
    private Node signsOut(Node a, Node b, java.util.function.BinaryOperator<Node> op) {
        Node x = negations.get(a);
        Node y = negations.get(b);
        if (x != null && y != null) {
            return op.apply(x, y);
        }
        if (x != null) {
            return neg(op.apply(x, b));
        }
        if (y != null) {
            return neg(op.apply(a, y));
        }
        return null;
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
    @Override
    protected Node toSingle(Node a) {
        return fn("(double) (float) " + a.name, a, "1.0");
    }

    // ------------------------------------------------------------------ what the shared expansion needs

    @Override
    protected Node[] nodes(int n) {
        return new Node[n];
    }

    @Override
    protected Node passiveInt(Expr e) {
        return passive("(double) " + ctx.intCode(e, this));
    }

    @Override
    protected Node[] access(Expr e) {
        Loc loc = ctx.locate(e);
        if (ctx.passive(e)) {
            return e.type() == Type.COMPLEX ? new Node[]{passive(loc.value(0)), passive(loc.value(1))} : new Node[]{passive(loc.value(0))};
        }
        return e.type() == Type.COMPLEX ? new Node[]{leaf(loc, 0), leaf(loc, 1)} : new Node[]{leaf(loc, 0)};
    }

    @Override
    protected Node powInt(Node x, Expr exponent) {
        String n = ctx.intCode(exponent, this);
        Node nn = passive("(double) (" + n + ")");
        return fn2("io.megrad.runtime.Cx.powi(" + x.name + ", " + n + ")", x, nn,
                "$Z * io.megrad.runtime.Cx.powi($X, " + n + " - 1)", "0.0");
    }

    @Override
    protected Node pow(Node x, Node y) {
        return fn2("Math.pow(" + x.name + ", " + y.name + ")", x, y, "$Z * Math.pow($X, $Z - 1.0)", "Math.log($X) * $Y");
    }

    @Override
    protected Node function(Op.Fn f, Node x) {
        return switch (f) {
            case ABS -> fn("Math.abs(" + x.name + ")", x, "($X < 0.0 ? -1.0 : 1.0)");
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
            default -> throw new UnsupportedConstructException(pos, "intrinsic " + f + " on REAL");
        };
    }

    @Override
    protected Node function2(Op.Fn f, Node x, Node y) {
        return switch (f) {
            case ABS -> fn2("Math.hypot(" + x.name + ", " + y.name + ")", x, y,
                    "($Y == 0.0 ? 0.0 : $X / $Y)", "($Y == 0.0 ? 0.0 : $Z / $Y)");
            // Fortran MIN/MAX pick an argument; the derivative is that argument's.
            case MIN -> fn2("Math.min(" + x.name + ", " + y.name + ")", x, y, "($X <= $Z ? 1.0 : 0.0)", "($X <= $Z ? 0.0 : 1.0)");
            case MAX -> fn2("Math.max(" + x.name + ", " + y.name + ")", x, y, "($X >= $Z ? 1.0 : 0.0)", "($X >= $Z ? 0.0 : 1.0)");
            case SIGN -> fn2("io.megrad.runtime.Cx.sign(" + x.name + ", " + y.name + ")", x, y,
                    "(($Z >= 0.0) == ($X >= 0.0) ? 1.0 : -1.0)", "0.0");
            case MOD -> fn2(x.name + " % " + y.name, x, y, "1.0", "-(double) (long) ($X / $Z)");
            case DIM -> fn2("Math.max(" + x.name + " - " + y.name + ", 0.0)", x, y, "($X > $Z ? 1.0 : 0.0)", "($X > $Z ? -1.0 : 0.0)");
            // ATAN2(Y, X): here x is the Fortran Y.
            case ATAN2 -> fn2("Math.atan2(" + x.name + ", " + y.name + ")", x, y,
                    "$Z / ($X * $X + $Z * $Z)", "-$X / ($X * $X + $Z * $Z)");
            default -> throw new UnsupportedConstructException(pos, "intrinsic " + f + " of two arguments");
        };
    }

    @Override
    protected Node[] holomorphic(Op.Fn f, Node[] z) {
        return switch (f) {
            case SQRT -> csqrt(z);
            case EXP -> cexp(z);
            case LOG -> clog(z);
            default -> throw new UnsupportedConstructException(pos, "COMPLEX intrinsic " + f);
        };
    }

    /** A holomorphic function w = f(z) given w's parts and f'(z)'s parts (as code over node names). */
    private Node[] holomorphicParts(String reCode, String imCode, Node[] z, String dRe, String dIm) {
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
        return holomorphicParts("io.megrad.runtime.Cx.sqrtRe(" + z[0].name + ", " + z[1].name + ")",
                "io.megrad.runtime.Cx.sqrtIm(" + z[0].name + ", " + z[1].name + ")", z,
                "($WR == 0.0 && $WI == 0.0 ? 0.0 : $WR / (2.0 * ($WR * $WR + $WI * $WI)))",
                "($WR == 0.0 && $WI == 0.0 ? 0.0 : -$WI / (2.0 * ($WR * $WR + $WI * $WI)))");
    }

    private Node[] cexp(Node[] z) {
        return holomorphicParts("Math.exp(" + z[0].name + ") * Math.cos(" + z[1].name + ")",
                "Math.exp(" + z[0].name + ") * Math.sin(" + z[1].name + ")", z, "$WR", "$WI");
    }

    private Node[] clog(Node[] z) {
        return holomorphicParts("Math.log(Math.hypot(" + z[0].name + ", " + z[1].name + "))",
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
     * adjoints of its output channels ({@code seeds}, code of each channel's adjoint), handing each
     * leaf's share to {@code atLeaf} (which adds or subtracts it). Unlike {@link #record}, no
     * partial is stored: this is the vector-Jacobian product itself, written to {@code target}
     * (which may be emitted after later statements, since it only reads this graph's final names).
     */
    void adjoint(Node[] outputs, String[] seeds, boolean[] negatedSeeds, StringBuilder target, String targetIndent, LeafAdjoint atLeaf) {
        reverseSweep(outputs, seeds, negatedSeeds, true, target, targetIndent, atLeaf);
    }

    /** Receives a leaf's share of the adjoint: {@code code}, to be subtracted when {@code negative}. */
    interface LeafAdjoint {
        void add(Node leaf, String code, boolean negative);
    }

    /** Reverse sweep from {@code output}: returns leaf key → name of the partial ∂output/∂leaf. */
    private Map<String, String> sweep(Node output, Map<String, Node> leafNodes) {
        Map<String, String> result = new LinkedHashMap<>();
        reverseSweep(new Node[]{output}, new String[]{"1.0"}, new boolean[1], false, out, indent, (leaf, code, negative) -> {
            String key = leaf.leaf.key(leaf.leafChannel);
            result.put(key, negative ? "(-" + code + ")" : code);
            leafNodes.put(key, leaf);
        });
        return result;
    }

    /** One contribution to a node's adjoint: {@code code}, negated when {@code negative}. */
    private record Term(String code, boolean negative) {
    }

    /**
     * The symbolic reverse sweep both uses share: from the outputs, seeded with {@code seeds}, each
     * node's adjoint is the sum of its contributions (a named temporary when not a single name),
     * passed on to its children times its local partials; a leaf's adjoint goes to {@code atLeaf}.
     * Signs travel with the terms (a partial of -1 flips one) and are spent as subtractions, so the
     * adjoint code has no negations of its own: each would cost an instruction in the JIT's output.
     * With {@code termsAtLeaves} a leaf's single contribution goes to {@code atLeaf} as it is,
     * without a temporary of its own.
     */
    private void reverseSweep(Node[] outputs, String[] seeds, boolean[] negatedSeeds, boolean termsAtLeaves,
                              StringBuilder target, String targetIndent, LeafAdjoint atLeaf) {
        Map<Integer, List<Term>> contributions = new HashMap<>();
        int top = -1;
        for (int ch = 0; ch < outputs.length; ch++) {
            if (!outputs[ch].constant) {
                contributions.computeIfAbsent(outputs[ch].id, k -> new ArrayList<>()).add(new Term(seeds[ch], negatedSeeds[ch]));
                top = Math.max(top, outputs[ch].id);
            }
        }
        for (int i = top; i >= 0; i--) {
            Node n = nodes.get(i);
            List<Term> contrib = contributions.remove(i);
            if (contrib == null) {
                continue;
            }
            Term adj;
            if (contrib.size() == 1 && (isSimple(contrib.get(0).code()) || termsAtLeaves && n.isLeaf())) {
                adj = contrib.get(0);
            } else {
                String name = prefix + "b" + (counter++);
                adj = sum(name, contrib, target, targetIndent);
            }
            if (n.isLeaf()) {
                atLeaf.add(n, adj.code(), adj.negative());
                continue;
            }
            for (int c = 0; c < n.children.size(); c++) {
                Node child = n.children.get(c);
                if (child.constant) {
                    continue;
                }
                String p = n.partials.get(c);
                Term term;
                if (p.equals("0.0")) {
                    continue;
                } else if (p.equals("1.0")) {
                    term = adj;
                } else if (p.equals("-1.0")) {
                    term = new Term(adj.code(), !adj.negative());
                } else if (adj.code().equals("1.0")) {
                    term = new Term("(" + p + ")", adj.negative());
                } else {
                    term = new Term(adj.code() + " * (" + p + ")", adj.negative());
                }
                contributions.computeIfAbsent(child.id, k -> new ArrayList<>()).add(term);
            }
        }
    }

    /**
     * Declares {@code name} as the sum of {@code terms}, in their order (so the rounding is that of
     * adding them one by one). When every term is negative the magnitudes are summed and the result
     * carries the sign, which is exact: IEEE rounding is symmetric.
     */
    private static Term sum(String name, List<Term> terms, StringBuilder target, String indent) {
        if (terms.size() > 1 && terms.get(0).negative() && !terms.get(1).negative()) {
            // -a + b is b - a exactly (the first two terms commute), and needs no negation.
            terms = new ArrayList<>(terms);
            terms.add(0, terms.remove(1));
        }
        boolean allNegative = terms.stream().allMatch(Term::negative);
        StringBuilder code = new StringBuilder();
        for (int k = 0; k < terms.size(); k++) {
            Term t = terms.get(k);
            boolean minus = t.negative() && !allNegative;
            if (k == 0) {
                code.append(minus ? "-" + t.code() : t.code());
            } else {
                code.append(minus ? " - " : " + ").append(t.code());
            }
        }
        target.append(indent).append("final double ").append(name).append(" = ").append(code).append(";\n");
        return new Term(name, allNegative);
    }

    private boolean isSimple(String code) {
        return code.equals("1.0") || code.matches("-?[A-Za-z_$][A-Za-z0-9_$]*");
    }
}
