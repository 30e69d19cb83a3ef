package io.megrad.codegen.emit.java;

import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;

import java.util.ArrayList;
import java.util.List;

/**
 * Elements accessed with constant subscripts, as {@link CallAdjoint}'s single-assignment form names
 * them: each is its own value, keyed by variable and 0-based slot in Fortran's column-major order.
 * An access that is not of this form makes the procedure ineligible ({@link CallAdjoint.NotEligible}).
 */
final class ConstantElements {
    private ConstantElements() {
    }

    static String key(Variable v, int slot) {
        return v.name() + "#" + slot;
    }

    static Variable variableOf(Expr access) {
        if (access instanceof Expr.Ref r) {
            return r.var();
        }
        if (access instanceof Expr.Element e) {
            return e.var();
        }
        throw new CallAdjoint.NotEligible();
    }

    static boolean constantSubscripts(Expr.Element e) {
        for (Expr i : e.indices()) {
            if (!isConstant(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean isConstant(Expr e) {
        try {
            constant(e);
            return true;
        } catch (CallAdjoint.NotEligible x) {
            return false;
        }
    }

    /** The 0-based element of an access with constant subscripts. */
    static int slotOf(Expr access) {
        if (access instanceof Expr.Ref) {
            return 0;
        }
        Expr.Element e = (Expr.Element) access;
        Variable v = e.var();
        long slot = 0;
        long stride = 1;
        for (int i = 0; i < e.indices().size(); i++) {
            Dim d = v.dims().get(i);
            slot += (constant(e.indices().get(i)) - d.lower()) * stride;
            if (d.extent() != null) {
                stride *= d.extent();
            }
        }
        if (slot < 0 || slot > Integer.MAX_VALUE / 4) {
            throw new CallAdjoint.NotEligible();
        }
        return (int) slot;
    }

    /** An access to element {@code slot} of {@code v}, with constant subscripts. */
    static Expr accessOf(Variable v, int slot) {
        if (!v.isArray()) {
            return new Expr.Ref(v);
        }
        List<Expr> indices = new ArrayList<>();
        long rest = slot;
        for (int i = 0; i < v.dims().size(); i++) {
            Dim d = v.dims().get(i);
            long extent = d.extent() == null || i == v.dims().size() - 1 ? Long.MAX_VALUE : d.extent();
            indices.add(new Expr.IntConst(rest % extent + d.lower()));
            rest /= extent;
        }
        return new Expr.Element(v, indices);
    }

    static long constant(Expr e) {
        if (e instanceof Expr.IntConst c) {
            return c.value();
        }
        if (e instanceof Expr.Unary u && u.operand().type() == Type.INT) {
            return -constant(u.operand());
        }
        if (e instanceof Expr.Binary b && b.type() == Type.INT) {
            long l = constant(b.left());
            long r = constant(b.right());
            return switch (b.op()) {
                case ADD -> l + r;
                case SUB -> l - r;
                case MUL -> l * r;
                default -> throw new CallAdjoint.NotEligible();
            };
        }
        throw new CallAdjoint.NotEligible();
    }

    static void collectAccesses(Expr e, java.util.function.Consumer<Expr> sink) {
        if (e instanceof Expr.Ref || e instanceof Expr.Element) {
            sink.accept(e);
        } else if (e instanceof Expr.Unary u) {
            collectAccesses(u.operand(), sink);
        } else if (e instanceof Expr.Binary b) {
            collectAccesses(b.left(), sink);
            collectAccesses(b.right(), sink);
        } else if (e instanceof Expr.Intrinsic f) {
            f.args().forEach(x -> collectAccesses(x, sink));
        } else if (e instanceof Expr.Convert c) {
            collectAccesses(c.operand(), sink);
        }
    }
}
