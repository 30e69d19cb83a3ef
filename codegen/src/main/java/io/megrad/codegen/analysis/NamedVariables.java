package io.megrad.codegen.analysis;

import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Variable;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every variable a procedure names: declared ones and those its statements use. Frontends may use
 * COMMON-like storage (C++ class members) without declaring it among a procedure's locals.
 */
final class NamedVariables {
    private final Set<Variable> named = new LinkedHashSet<>();

    private NamedVariables() {
    }

    static Set<Variable> of(Procedure p) {
        NamedVariables n = new NamedVariables();
        n.named.addAll(p.params());
        n.named.addAll(p.locals());
        if (p.result() != null) {
            n.named.add(p.result());
        }
        n.visit(p.body());
        return n.named;
    }

    private void visit(List<Stmt> body) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                visit(a.target());
                visit(a.value());
            } else if (s instanceof Stmt.ParamInput pi) {
                visit(pi.target());
            } else if (s instanceof Stmt.If i) {
                visit(i.condition());
                visit(i.then());
                visit(i.otherwise());
            } else if (s instanceof Stmt.Do d) {
                named.add(d.var());
                visit(d.start());
                visit(d.end());
                visit(d.step());
                visit(d.body());
            } else if (s instanceof Stmt.While w) {
                if (w.condition() != null) {
                    visit(w.condition());
                }
                visit(w.body());
            } else if (s instanceof Stmt.Call c) {
                c.args().forEach(this::visit);
                if (c.result() != null) {
                    visit(c.result());
                }
            }
        }
    }

    private void visit(Expr e) {
        if (e instanceof Expr.Ref r) {
            named.add(r.var());
        } else if (e instanceof Expr.Element el) {
            named.add(el.var());
            el.indices().forEach(this::visit);
        } else if (e instanceof Expr.Unary u) {
            visit(u.operand());
        } else if (e instanceof Expr.Binary b) {
            visit(b.left());
            visit(b.right());
        } else if (e instanceof Expr.Intrinsic f) {
            f.args().forEach(this::visit);
        } else if (e instanceof Expr.Convert c) {
            visit(c.operand());
        }
    }
}
