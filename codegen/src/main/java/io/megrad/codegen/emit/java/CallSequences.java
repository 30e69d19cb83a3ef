package io.megrad.codegen.emit.java;

import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The procedures of a reverse port whose calls are recorded as one sequence: MATRIX, whose body is
 * nothing but calls of procedures recorded per call ({@link CallAdjoint}: the external
 * wavefunctions, the vertices, the outlined colour sum). Recording each call with its own tape
 * record (an id, the arguments' adjoint addresses, where its inputs are in the frames) costs about
 * as much as a third of the primal, and the backward sweep dispatches on every record. But within
 * one call of MATRIX every such address is a constant or a constant away from where MATRIX's
 * frames are and from its own arguments' addresses: so MATRIX records those few numbers once, its
 * callees record only their values, and a generated adjoint of the whole sequence calls the
 * callees' adjoints, last first, with the addresses computed again from the same code.
 *
 * <p>A procedure qualifies if every statement of its body is such a call, every differentiable
 * argument is an element of one of its framed arrays (constant subscripts), of its own arguments
 * or of a field (subscripts of integers, such as the C++ outputs' {@code p[perm[i]]}: their values
 * are recorded), or a literal passed by value; and every call of each of its callees is in a
 * qualifying procedure (their primal code records values only).
 */
final class CallSequences {
    /** Calls per method of a sequence's adjoint: each call is well under 200 bytes of bytecode. */
    static final int CALLS_PER_METHOD = 30;

    private CallSequences() {
    }

    /** The qualifying procedures, by name. */
    static Set<String> of(Program program, Conventions conv, Map<String, CallAdjoint> callAdjoints,
                          Map<String, Map<io.megrad.codegen.ir.Variable, FramedArrays.Layout>> framed) {
        Set<String> candidates = new TreeSet<>();
        for (Procedure p : program.procedures().values()) {
            if (!callAdjoints.containsKey(p.name()) && qualifies(p, program, conv, callAdjoints, framed.getOrDefault(p.name(), Map.of()))) {
                candidates.add(p.name());
            }
        }
        for (boolean changed = true; changed; ) {
            Set<String> elsewhere = new TreeSet<>();
            for (Procedure q : program.procedures().values()) {
                if (!candidates.contains(q.name())) {
                    CallSites.forEach(q.body(), c -> elsewhere.add(c.callee()));
                }
            }
            changed = candidates.removeIf(p -> callees(program.procedure(p)).stream().anyMatch(elsewhere::contains));
        }
        return candidates;
    }

    /** The procedures {@code p} calls, in order of their first call. */
    static Set<String> callees(Procedure p) {
        Set<String> names = new LinkedHashSet<>();
        CallSites.forEach(p.body(), c -> names.add(c.callee()));
        return names;
    }

    private static boolean qualifies(Procedure p, Program program, Conventions conv, Map<String, CallAdjoint> callAdjoints,
                                     Map<Variable, FramedArrays.Layout> frames) {
        List<Stmt> body = p.body();
        if (!body.isEmpty() && body.get(body.size() - 1) instanceof Stmt.Return) {
            body = body.subList(0, body.size() - 1);
        }
        if (body.isEmpty()) {
            return false;
        }
        for (Stmt s : body) {
            if (!(s instanceof Stmt.Call c) || c.result() != null || !callAdjoints.containsKey(c.callee())) {
                return false;
            }
            Procedure callee = program.procedure(c.callee());
            if (callee == null || callee.params().size() != c.args().size()) {
                return false;
            }
            for (int i = 0; i < c.args().size(); i++) {
                if (!addressable(c.args().get(i), callee.params().get(i), conv.isRefParam(callee, i), conv, frames)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the adjoint address (and frame position) of an argument is fixed within a call of the caller. */
    private static boolean addressable(Expr actual, Variable param, boolean byRef, Conventions conv, Map<Variable, FramedArrays.Layout> frames) {
        if (param.type() != Type.REAL && param.type() != Type.COMPLEX) {
            return true; // no adjoint
        }
        if (actual instanceof Expr.Ref || actual instanceof Expr.Element) {
            if (actual instanceof Expr.Element e && !ConstantElements.constantSubscripts(e)
                    && (frames.containsKey(e.var()) || !e.indices().stream().allMatch(CallSequences::integersOnly))) {
                return false;
            }
            Variable v = ConstantElements.variableOf(actual);
            if (v.type() != param.type()) {
                return false;
            }
            if (frames.containsKey(v)) {
                return true;
            }
            // The caller's own arguments (and function result) have their offsets and addresses in the record.
            Conventions.Kind kind = conv.kind(v);
            return kind == Conventions.Kind.ARG_REF || kind == Conventions.Kind.FIELD || (kind == Conventions.Kind.ARG_VALUE && !byRef);
        }
        return !byRef && literal(actual); // an expression passed by reference is stored and recorded as a statement
    }

    /**
     * Whether a subscript reads integers only: nothing in a call sequence changes one (the recorded
     * routines write no integer argument or COMMON storage), so its value at the start holds throughout.
     */
    private static boolean integersOnly(Expr index) {
        boolean[] ok = {true};
        ConstantElements.collectAccesses(index, x -> ok[0] &= ConstantElements.variableOf(x).type() == Type.INT
                && (!(x instanceof Expr.Element el) || el.indices().stream().allMatch(CallSequences::integersOnly)));
        return ok[0] && !(index instanceof Expr.Intrinsic) && index.type() == Type.INT;
    }

    static boolean literal(Expr e) {
        if (e instanceof Expr.RealConst || e instanceof Expr.ComplexConst || e instanceof Expr.IntConst) {
            return true;
        }
        if (e instanceof Expr.Convert c) {
            return literal(c.operand());
        }
        return e instanceof Expr.Unary u && literal(u.operand());
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    /**
     * Checks that the adjoint calls of a sequence compute addresses only from {@code saved} (what
     * its record keeps) and the port's constant addresses, whose names end in {@code _a} or {@code _A}.
     */
    static void checkNames(List<String> calls, List<String> saved, Procedure proc) {
        for (String call : calls) {
            String args = call.substring(call.indexOf("(tv, v + "), call.lastIndexOf("); //"));
            Matcher m = NAME.matcher(args.substring(args.indexOf("fr") + 2));
            while (m.find()) {
                String name = m.group();
                if (!saved.contains(name) && !name.endsWith("_a") && !name.endsWith("_A")) {
                    throw new IllegalStateException("the call sequence of " + proc.name() + " computes an address from " + name + ": " + call.trim());
                }
            }
        }
    }
}
