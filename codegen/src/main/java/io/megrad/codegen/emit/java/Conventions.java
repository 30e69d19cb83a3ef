package io.megrad.codegen.emit.java;

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
 * Decides how each variable is held in Java. Fortran passes everything by reference; Java cannot,
 * so a scalar dummy that the callee (or anything it calls) may write is passed as an array slot, and
 * a local scalar handed to such a dummy lives in a one-element array. Everything else that is
 * scalar stays a Java local, which the JIT keeps in registers.
 */
final class Conventions {
    enum Kind { JAVA_LOCAL, FIELD, ARG_VALUE, ARG_REF }

    private final Program program;
    private final Map<String, Set<Integer>> writtenParams = new HashMap<>();
    private final Set<Variable> boxed = new HashSet<>();
    private final Set<Variable> assigned = new HashSet<>();
    /** COMMON members by block/index: each unit has its own Variable for the same storage. */
    private final Set<String> assignedCommons = new HashSet<>();

    Conventions(Program program) {
        this.program = program;
        boolean changed = true;
        for (Procedure p : program.procedures().values()) {
            writtenParams.put(p.name(), new HashSet<>());
        }
        while (changed) {
            changed = false;
            for (Procedure p : program.procedures().values()) {
                Set<Integer> w = writtenParams.get(p.name());
                int before = w.size();
                scanWrites(p, p.body(), w);
                changed |= w.size() != before;
            }
        }
        for (Procedure p : program.procedures().values()) {
            scanBoxing(p.body());
        }
    }

    private void scanWrites(Procedure p, List<Stmt> body, Set<Integer> w) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Assign a) {
                markWrite(a.target(), w);
            } else if (s instanceof Stmt.ParamInput pi) {
                markWrite(pi.target(), w);
            } else if (s instanceof Stmt.If i) {
                scanWrites(p, i.then(), w);
                scanWrites(p, i.otherwise(), w);
            } else if (s instanceof Stmt.Do d) {
                markWrite(new Expr.Ref(d.var()), w);
                scanWrites(p, d.body(), w);
            } else if (s instanceof Stmt.While wh) {
                scanWrites(p, wh.body(), w);
            } else if (s instanceof Stmt.Call c) {
                Set<Integer> calleeWrites = writtenParams.get(c.callee());
                for (int i = 0; i < c.args().size(); i++) {
                    if (calleeWrites != null && calleeWrites.contains(i)) {
                        markWrite(c.args().get(i), w);
                    }
                }
                if (c.result() != null) {
                    markWrite(c.result(), w);
                }
            }
        }
    }

    private void markWrite(Expr target, Set<Integer> w) {
        Variable v = target instanceof Expr.Ref r ? r.var() : target instanceof Expr.Element e ? e.var() : null;
        if (v == null) {
            return;
        }
        assigned.add(v);
        if (v.storage() instanceof Storage.Common c) {
            assignedCommons.add(c.block() + "/" + c.member());
        }
        if (v.storage() instanceof Storage.Argument a) {
            w.add(a.index());
        }
    }

    private void scanBoxing(List<Stmt> body) {
        for (Stmt s : body) {
            if (s instanceof Stmt.If i) {
                scanBoxing(i.then());
                scanBoxing(i.otherwise());
            } else if (s instanceof Stmt.Do d) {
                scanBoxing(d.body());
            } else if (s instanceof Stmt.While wh) {
                scanBoxing(wh.body());
            } else if (s instanceof Stmt.Call c) {
                Procedure callee = program.procedure(c.callee());
                for (int i = 0; i < c.args().size(); i++) {
                    if (c.args().get(i) instanceof Expr.Ref r && !r.var().isArray() && isRefParam(callee, i)) {
                        boxed.add(r.var());
                    }
                }
                if (c.result() instanceof Expr.Ref r) {
                    boxed.add(r.var());
                }
            }
        }
    }

    /** Whether {@code callee} (or anything it calls) may write its parameter {@code i}. */
    boolean writes(Procedure callee, int i) {
        return writtenParams.get(callee.name()).contains(i);
    }

    /** True when parameter {@code i} of {@code callee} is passed as (array, offset). */
    boolean isRefParam(Procedure callee, int i) {
        Variable param = callee.params().get(i);
        return param.isArray() || writtenParams.get(callee.name()).contains(i);
    }

    Kind kind(Variable v) {
        if (results.contains(v)) {
            return Kind.ARG_REF;
        }
        if (v.storage() instanceof Storage.Argument a) {
            return v.isArray() || writtenParams.get(ownerOf(v)).contains(a.index()) ? Kind.ARG_REF : Kind.ARG_VALUE;
        }
        if (v.storage() instanceof Storage.Local && !v.isArray() && !boxed.contains(v)) {
            return Kind.JAVA_LOCAL;
        }
        return Kind.FIELD;
    }

    /** Variables that are assigned somewhere (used to find mutable saved state). */
    boolean isAssigned(Variable v) {
        if (v.storage() instanceof Storage.Common c) {
            return assignedCommons.contains(c.block() + "/" + c.member());
        }
        return assigned.contains(v);
    }

    /**
     * True for a variable that no executed statement ever writes: its value comes from DATA (a
     * colour matrix, a helicity table) and it can carry no derivative.
     */
    boolean isConstantData(Variable v) {
        if (v.storage() instanceof Storage.Argument || results.contains(v)) {
            return false;
        }
        return !isAssigned(v);
    }

    private final Map<Variable, String> owners = new HashMap<>();
    private final Set<Variable> results = new HashSet<>();

    void registerOwner(Procedure p) {
        for (Variable v : p.params()) {
            owners.put(v, p.name());
        }
        if (p.result() != null) {
            owners.put(p.result(), p.name());
            results.add(p.result());
        }
    }

    private String ownerOf(Variable v) {
        return owners.get(v);
    }
}
