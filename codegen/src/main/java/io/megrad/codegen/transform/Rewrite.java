package io.megrad.codegen.transform;

import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Variable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Bottom-up rewriting of IR expressions, shared by the transformations of this package. */
final class Rewrite {
    private Rewrite() {
    }

    /**
     * {@code e} rebuilt from its leaves up, every node (an access after its subscripts, an
     * operation after its operands) passed through {@code node}, which returns it or its replacement.
     */
    static Expr bottomUp(Expr e, UnaryOperator<Expr> node) {
        Expr r;
        if (e instanceof Expr.Element el) {
            List<Expr> idx = new ArrayList<>();
            el.indices().forEach(i -> idx.add(bottomUp(i, node)));
            r = new Expr.Element(el.var(), idx);
        } else if (e instanceof Expr.Unary u) {
            r = new Expr.Unary(u.op(), bottomUp(u.operand(), node), u.type());
        } else if (e instanceof Expr.Binary b) {
            r = new Expr.Binary(b.op(), bottomUp(b.left(), node), bottomUp(b.right(), node), b.type());
        } else if (e instanceof Expr.Intrinsic f) {
            List<Expr> args = new ArrayList<>();
            f.args().forEach(x -> args.add(bottomUp(x, node)));
            r = new Expr.Intrinsic(f.fn(), args, f.type());
        } else if (e instanceof Expr.Convert c) {
            r = new Expr.Convert(bottomUp(c.operand(), node), c.type());
        } else {
            r = e;
        }
        return node.apply(r);
    }

    /** The access {@code e} with its variable replaced as {@code renamed} says (unchanged otherwise). */
    static Expr renameAccess(Expr e, Map<Variable, Variable> renamed) {
        if (e instanceof Expr.Ref r && renamed.containsKey(r.var())) {
            return new Expr.Ref(renamed.get(r.var()));
        }
        if (e instanceof Expr.Element el && renamed.containsKey(el.var())) {
            return new Expr.Element(renamed.get(el.var()), el.indices());
        }
        return e;
    }

    /** The variable an access (a reference or an element) reads or writes; null for any other expression. */
    static Variable variableOf(Expr access) {
        if (access instanceof Expr.Ref r) {
            return r.var();
        }
        if (access instanceof Expr.Element e) {
            return e.var();
        }
        return null;
    }

    /** {@code e} with every variable in {@code renamed} replaced. */
    static Expr rename(Expr e, Map<Variable, Variable> renamed) {
        return bottomUp(e, x -> renameAccess(x, renamed));
    }
}
