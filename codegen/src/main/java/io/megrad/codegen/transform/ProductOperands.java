package io.megrad.codegen.transform;

import io.megrad.codegen.ir.ConstantFolder;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives the large operands of products their own temporaries, in procedures that call nothing and
 * loop nowhere (the ALOHA vertices and currents).
 *
 * <p>Why: the adjoint of {@code x * y} needs the values of {@code x} and {@code y}. Reverse mode
 * records such a procedure per call and its adjoint code recomputes, from the recorded values,
 * whatever operand values it needs; in ALOHA's code an operand is often a whole sum of products
 * ({@code F1(3)*(P(0)*(V(3)+V(6)) + ...)}), so that recomputation was about a quarter of the adjoint's
 * operations. As a temporary, the operand is recorded once in the forward sweep (a store) and read back
 * (a load). Small operands (a sum of two inputs) stay inline: recomputing them is cheaper than
 * recording them. Each temporary holds exactly the value the expression computed, so results are
 * bit for bit those of the original.
 */
public final class ProductOperands {
    /**
     * Operations in an operand from which it gets a temporary. Measured on gg_ttxg and uux_ttxgg
     * (same-JVM A/B of the reverse port): 2 and 3 record so much that the forward sweep loses what
     * the adjoint gains, 10 leaves most recomputation in place; 6 was the fastest.
     */
    static final int MIN_OPERATIONS = 6;

    private ProductOperands() {
    }

    public static Program hoist(Program program) {
        Map<String, Procedure> procedures = new LinkedHashMap<>();
        for (Procedure p : program.procedures().values()) {
            procedures.put(p.name(), eligible(p) ? hoist(p) : p);
        }
        return new Program(procedures, program.commons(), program.inputs(), program.setupEntry(), program.pointEntry(),
                program.nExternal(), program.nInitial());
    }

    /** Straight-line or branching code without calls and loops, with a differentiable argument. */
    private static boolean eligible(Procedure p) {
        return !p.name().contains("$") && p.params().stream().anyMatch(v -> v.type() == Type.REAL || v.type() == Type.COMPLEX)
                && loopAndCallFree(p.body());
    }

    private static boolean loopAndCallFree(List<Stmt> stmts) {
        for (Stmt s : stmts) {
            if (s instanceof Stmt.If i) {
                if (!loopAndCallFree(i.then()) || !loopAndCallFree(i.otherwise())) {
                    return false;
                }
            } else if (!(s instanceof Stmt.Assign) && !(s instanceof Stmt.Return)) {
                return false;
            }
        }
        return true;
    }

    private static Procedure hoist(Procedure p) {
        List<Variable> temps = new ArrayList<>();
        List<Stmt> body = stmts(p.body(), temps);
        if (temps.isEmpty()) {
            return p;
        }
        List<Variable> locals = new ArrayList<>(p.locals());
        locals.addAll(temps);
        return new Procedure(p.name(), p.params(), p.result(), locals, body, p.data(), p.pos());
    }

    private static List<Stmt> stmts(List<Stmt> stmts, List<Variable> temps) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : stmts) {
            if (s instanceof Stmt.Assign a && (a.value().type() == Type.REAL || a.value().type() == Type.COMPLEX)) {
                Expr value = operands(a.value(), a, temps, out);
                out.add(new Stmt.Assign(a.pos(), a.target(), value));
            } else if (s instanceof Stmt.If i) {
                out.add(new Stmt.If(i.pos(), i.condition(), stmts(i.then(), temps), stmts(i.otherwise(), temps)));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** {@code e} with the large operands of its products (innermost first) assigned to temporaries before {@code at}. */
    private static Expr operands(Expr e, Stmt.Assign at, List<Variable> temps, List<Stmt> out) {
        return Rewrite.bottomUp(e, x -> {
            if (x instanceof Expr.Binary b && b.op() == Op.Binary.MUL && (b.type() == Type.REAL || b.type() == Type.COMPLEX)) {
                Expr l = b.left();
                Expr r = b.right();
                boolean lConst = ConstantFolder.tryFold(l) != null;
                boolean rConst = ConstantFolder.tryFold(r) != null;
                if (!rConst && worthATemporary(l)) {
                    l = temporary(l, at, temps, out);
                }
                if (!lConst && worthATemporary(r)) {
                    r = temporary(r, at, temps, out);
                }
                return l == b.left() && r == b.right() ? x : new Expr.Binary(b.op(), l, r, b.type());
            }
            return x;
        });
    }

    private static boolean worthATemporary(Expr operand) {
        return (operand.type() == Type.REAL || operand.type() == Type.COMPLEX) && operations(operand) >= MIN_OPERATIONS;
    }

    private static Expr temporary(Expr value, Stmt.Assign at, List<Variable> temps, List<Stmt> out) {
        Variable t = new Variable("$P" + temps.size(), value.type(), List.of(), new Storage.Local(), at.pos());
        temps.add(t);
        out.add(new Stmt.Assign(at.pos(), new Expr.Ref(t), value));
        return new Expr.Ref(t);
    }

    /** Arithmetic operations in {@code e} (conversions and accesses are free). */
    static int operations(Expr e) {
        if (e instanceof Expr.Binary b) {
            return 1 + operations(b.left()) + operations(b.right());
        }
        if (e instanceof Expr.Unary u) {
            return 1 + operations(u.operand());
        }
        if (e instanceof Expr.Intrinsic f) {
            int n = 1;
            for (Expr a : f.args()) {
                n += operations(a);
            }
            return n;
        }
        if (e instanceof Expr.Convert c) {
            return operations(c.operand());
        }
        return 0;
    }
}
