package io.megrad.codegen.emit.cpp;

import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Variable;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Activity analysis for the C++ emitter: which real and complex variables can carry a derivative,
 * and of what. Every such variable gets a level:
 * <ul>
 *   <li>{@link #PASSIVE}: never depends on an input (DATA constants such as the colour matrix, literals
 *       assigned in code): C++ {@code double};</li>
 *   <li>{@link #PARAMETER}: depends on param-card inputs only (model parameters, couplings): the
 *       template's {@code TP}, which is {@code double} unless a parameter is differentiated;</li>
 *   <li>{@link #POINT}: depends on the momenta: the template's {@code T}.</li>
 * </ul>
 * Levels flow from the inputs ({@code ParamInput}: parameter; the point routine's P and ANS: point)
 * through assignments; arguments passed by reference share one C++ type with the dummy, so their
 * levels are unified (Fortran's pass by reference cannot convert). Also records which dummies a
 * procedure may write (those are passed by pointer) and which variables are ever assigned.
 */
final class Activity {
    static final int PASSIVE = 0;
    static final int PARAMETER = 1;
    static final int POINT = 2;

    private final Program program;
    private final Map<String, Set<Integer>> writtenParams = new HashMap<>();
    private final Map<String, Integer> levels = new HashMap<>();
    private final Set<String> assigned = new HashSet<>();
    private boolean changed;

    Activity(Program program) {
        this.program = program;
        for (Procedure p : program.procedures().values()) {
            writtenParams.put(p.name(), new HashSet<>());
        }
        do {
            changed = false;
            for (Procedure p : program.procedures().values()) {
                scanWrites(p, p.body());
            }
        } while (changed);
        Procedure point = program.procedure(program.pointEntry());
        for (Variable v : point.params()) {
            raise(key(point, v), POINT);
        }
        do {
            changed = false;
            for (Procedure p : program.procedures().values()) {
                flow(p, p.body());
            }
        } while (changed);
    }

    /**
     * The storage identity of a variable: COMMON members by block and position (the owner may then
     * be null), others by owner and name.
     */
    static String key(Procedure owner, Variable v) {
        if (v.storage() instanceof Storage.Common c) {
            return "/" + c.block() + "/" + c.member();
        }
        return owner.name() + "." + v.name();
    }

    int level(Procedure owner, Variable v) {
        if (!v.type().isDifferentiable()) {
            return PASSIVE;
        }
        return levels.getOrDefault(key(owner, v), PASSIVE);
    }

    boolean isRefParam(Procedure callee, int i) {
        return callee.params().get(i).isArray() || writtenParams.get(callee.name()).contains(i);
    }

    boolean isAssigned(Procedure owner, Variable v) {
        return assigned.contains(key(owner, v));
    }

    /** The level of an expression: the highest level of the differentiable variables it reads. */
    int level(Procedure owner, Expr e) {
        if (!e.type().isDifferentiable()) {
            return PASSIVE;
        }
        if (e instanceof Expr.Ref r) {
            return level(owner, r.var());
        }
        if (e instanceof Expr.Element el) {
            return level(owner, el.var());
        }
        if (e instanceof Expr.Unary u) {
            return level(owner, u.operand());
        }
        if (e instanceof Expr.Binary b) {
            return Math.max(level(owner, b.left()), level(owner, b.right()));
        }
        if (e instanceof Expr.Intrinsic f) {
            int l = PASSIVE;
            for (Expr a : f.args()) {
                l = Math.max(l, level(owner, a));
            }
            return l;
        }
        if (e instanceof Expr.Convert c) {
            return level(owner, c.operand());
        }
        return PASSIVE;
    }

    // ------------------------------------------------------------------ writes

    private void scanWrites(Procedure p, List<Stmt> body) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                markWrite(p, a.target());
            } else if (s instanceof Stmt.ParamInput pi) {
                markWrite(p, pi.target());
            } else if (s instanceof Stmt.If i) {
                scanWrites(p, i.then());
                scanWrites(p, i.otherwise());
            } else if (s instanceof Stmt.Do d) {
                markWrite(p, new Expr.Ref(d.var()));
                scanWrites(p, d.body());
            } else if (s instanceof Stmt.While w) {
                scanWrites(p, w.body());
            } else if (s instanceof Stmt.Call c) {
                Set<Integer> calleeWrites = writtenParams.get(c.callee());
                for (int i = 0; i < c.args().size(); i++) {
                    if (calleeWrites != null && calleeWrites.contains(i)) {
                        markWrite(p, c.args().get(i));
                    }
                }
                if (c.result() != null) {
                    markWrite(p, c.result());
                }
            }
        }
    }

    private void markWrite(Procedure p, Expr target) {
        Variable v = variable(target);
        if (v == null) {
            return;
        }
        changed |= assigned.add(key(p, v));
        if (v.storage() instanceof Storage.Argument a) {
            changed |= writtenParams.get(p.name()).add(a.index());
        }
    }

    static Variable variable(Expr e) {
        return e instanceof Expr.Ref r ? r.var() : e instanceof Expr.Element el ? el.var() : null;
    }

    // ------------------------------------------------------------------ levels

    private void raise(String key, int level) {
        if (level > levels.getOrDefault(key, PASSIVE)) {
            levels.put(key, level);
            changed = true;
        }
    }

    private void unify(String a, String b) {
        int l = Math.max(levels.getOrDefault(a, PASSIVE), levels.getOrDefault(b, PASSIVE));
        raise(a, l);
        raise(b, l);
    }

    private void flow(Procedure p, List<Stmt> body) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                Variable v = variable(a.target());
                if (v != null && v.type().isDifferentiable()) {
                    raise(key(p, v), level(p, a.value()));
                }
            } else if (s instanceof Stmt.ParamInput pi) {
                Variable v = variable(pi.target());
                if (v != null && v.type().isDifferentiable()) {
                    raise(key(p, v), PARAMETER);
                }
            } else if (s instanceof Stmt.If i) {
                flow(p, i.then());
                flow(p, i.otherwise());
            } else if (s instanceof Stmt.Do d) {
                flow(p, d.body());
            } else if (s instanceof Stmt.While w) {
                flow(p, w.body());
            } else if (s instanceof Stmt.Call c) {
                Procedure callee = program.procedure(c.callee());
                if (callee == null) {
                    continue;
                }
                for (int i = 0; i < c.args().size() && i < callee.params().size(); i++) {
                    Variable param = callee.params().get(i);
                    if (!param.type().isDifferentiable()) {
                        continue;
                    }
                    Expr actual = c.args().get(i);
                    Variable v = variable(actual);
                    if (isRefParam(callee, i) && v != null && v.type().isDifferentiable()) {
                        unify(key(p, v), key(callee, param));
                    } else {
                        raise(key(callee, param), level(p, actual));
                    }
                }
                if (c.result() != null && callee.result() != null) {
                    Variable v = variable(c.result());
                    if (v != null && v.type().isDifferentiable()) {
                        unify(key(p, v), key(callee, callee.result()));
                    }
                }
            }
        }
    }
}
