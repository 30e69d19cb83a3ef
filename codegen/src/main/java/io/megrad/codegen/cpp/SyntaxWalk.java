package io.megrad.codegen.cpp;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/** Walks syntax trees: every expression of a statement, and the names a statement may modify. */
final class SyntaxWalk {
    private SyntaxWalk() {
    }

    /** Calls {@code visit} on every expression (and sub-expression) in {@code s}. */
    static void expressions(Syntax.Stmt s, Consumer<Syntax.Expr> visit) {
        if (s instanceof Syntax.Block b) {
            b.body().forEach(x -> expressions(x, visit));
        } else if (s instanceof Syntax.ExprStmt e) {
            expression(e.expr(), visit);
        } else if (s instanceof Syntax.Decl d) {
            for (Syntax.Declarator x : d.declarators()) {
                x.dims().forEach(e -> expression(e, visit));
                expression(x.init(), visit);
                if (x.ctorArgs() != null) {
                    x.ctorArgs().forEach(e -> expression(e, visit));
                }
            }
        } else if (s instanceof Syntax.If i) {
            expression(i.condition(), visit);
            expressions(i.then(), visit);
            expressions(i.otherwise(), visit);
        } else if (s instanceof Syntax.For f) {
            expressions(f.init(), visit);
            expression(f.condition(), visit);
            expression(f.step(), visit);
            expressions(f.body(), visit);
        } else if (s instanceof Syntax.While w) {
            expression(w.condition(), visit);
            expressions(w.body(), visit);
        } else if (s instanceof Syntax.DoWhile w) {
            expressions(w.body(), visit);
            expression(w.condition(), visit);
        } else if (s instanceof Syntax.Return r) {
            expression(r.value(), visit);
        }
    }

    static void expression(Syntax.Expr e, Consumer<Syntax.Expr> visit) {
        if (e == null) {
            return;
        }
        visit.accept(e);
        if (e instanceof Syntax.Index i) {
            expression(i.array(), visit);
            expression(i.index(), visit);
        } else if (e instanceof Syntax.Call c) {
            expression(c.callee(), visit);
            c.args().forEach(a -> expression(a, visit));
        } else if (e instanceof Syntax.Member m) {
            expression(m.object(), visit);
        } else if (e instanceof Syntax.Unary u) {
            expression(u.operand(), visit);
        } else if (e instanceof Syntax.Postfix p) {
            expression(p.operand(), visit);
        } else if (e instanceof Syntax.Binary b) {
            expression(b.left(), visit);
            expression(b.right(), visit);
        } else if (e instanceof Syntax.Assign a) {
            expression(a.target(), visit);
            expression(a.value(), visit);
        } else if (e instanceof Syntax.Conditional c) {
            expression(c.condition(), visit);
            expression(c.then(), visit);
            expression(c.otherwise(), visit);
        } else if (e instanceof Syntax.Construct c) {
            c.args().forEach(a -> expression(a, visit));
        } else if (e instanceof Syntax.New n) {
            expression(n.arraySize(), visit);
            n.args().forEach(a -> expression(a, visit));
        } else if (e instanceof Syntax.BraceList b) {
            b.items().forEach(a -> expression(a, visit));
        }
    }

    /** The variable an lvalue expression designates: {@code x}, {@code x[i][j]}, {@code *x}; null for anything else. */
    static String rootName(Syntax.Expr e) {
        while (true) {
            if (e instanceof Syntax.Name n) {
                return n.name();
            } else if (e instanceof Syntax.Index i) {
                e = i.array();
            } else if (e instanceof Syntax.Unary u && u.op().equals("*")) {
                e = u.operand();
            } else if (e instanceof Syntax.Member m && m.object() instanceof Syntax.Name o && o.name().equals("this")) {
                return m.member();
            } else {
                return null;
            }
        }
    }

    /**
     * Names that {@code s} may modify: assignment and increment targets, names whose address is taken,
     * and names passed whole as function arguments (a reference or array parameter may write them).
     */
    static Set<String> modifiedNames(Syntax.Stmt s) {
        return modifiedNames(s, (call, i) -> true);
    }

    /** As {@link #modifiedNames(Syntax.Stmt)}, where {@code mayWrite} tells whether a call may write its i-th argument. */
    static Set<String> modifiedNames(Syntax.Stmt s, java.util.function.BiPredicate<Syntax.Call, Integer> mayWrite) {
        Set<String> names = new HashSet<>();
        expressions(s, e -> {
            String n = null;
            if (e instanceof Syntax.Assign a) {
                n = rootName(a.target());
            } else if (e instanceof Syntax.Postfix p) {
                n = rootName(p.operand());
            } else if (e instanceof Syntax.Unary u && (u.op().equals("++pre") || u.op().equals("--pre") || u.op().equals("&"))) {
                n = rootName(u.operand());
            } else if (e instanceof Syntax.Call c) {
                for (int i = 0; i < c.args().size(); i++) {
                    String r = rootName(c.args().get(i));
                    if (r != null && mayWrite.test(c, i)) {
                        names.add(r);
                    }
                }
            }
            if (n != null) {
                names.add(n);
            }
        });
        return names;
    }

    /** True when {@code s} contains a {@code continue} of the loop it is the body of (not of a nested loop). */
    static boolean continuesLoop(Syntax.Stmt s) {
        if (s instanceof Syntax.Continue) {
            return true;
        }
        if (s instanceof Syntax.Block b) {
            return b.body().stream().anyMatch(SyntaxWalk::continuesLoop);
        }
        if (s instanceof Syntax.If i) {
            return continuesLoop(i.then()) || continuesLoop(i.otherwise());
        }
        return false;
    }
}
