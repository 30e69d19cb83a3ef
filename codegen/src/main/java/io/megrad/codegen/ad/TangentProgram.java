package io.megrad.codegen.ad;

import io.megrad.codegen.ir.CommonBlock;
import io.megrad.codegen.ir.DataInit;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.ExternalInput;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;
import io.megrad.runtime.SourcePosition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forward mode as a transformation of the IR: every differentiable variable gets a companion
 * holding its derivative along one direction, every assignment gets a tangent assignment before
 * it, every call passes the companions too. The result is again a {@link Program}, so any backend
 * runs it, and a forward-mode backend applied to it gives second derivatives (forward over
 * forward: the Hessian).
 *
 * <p>The direction is chosen through extra inputs: input {@code i} of the original program gets a
 * companion input {@code n + i} whose value is the inner direction's seed for it. The point entry
 * of the result is a wrapper {@code SUBROUTINE (P, ANS)} whose ANS is the original |M|²'s
 * derivative along that direction.
 */
public final class TangentProgram {
    public static final String SUFFIX = "$D";
    public static final String POINT_ENTRY = "MEGRAD_TANGENT_POINT";

    private final Program program;
    private final Map<Variable, Variable> companions = new HashMap<>();
    private final Map<String, int[]> commonCompanionIndex = new HashMap<>();
    private final TangentExpressions tangents = new TangentExpressions(this::companion);

    private TangentProgram(Program program) {
        this.program = program;
    }

    public static Program transform(Program program) {
        return new TangentProgram(program).run();
    }

    private Program run() {
        Map<String, CommonBlock> commons = new LinkedHashMap<>();
        for (CommonBlock b : program.commons().values()) {
            List<Variable> members = new ArrayList<>(b.members());
            int[] index = new int[b.members().size()];
            for (int m = 0; m < b.members().size(); m++) {
                Variable v = b.members().get(m);
                index[m] = -1;
                if (v.type().isDifferentiable()) {
                    index[m] = members.size();
                    members.add(companion(v, new Storage.Common(b.name(), members.size())));
                }
            }
            commonCompanionIndex.put(b.name(), index);
            commons.put(b.name(), new CommonBlock(b.name(), members));
        }
        Map<String, Procedure> procedures = new LinkedHashMap<>();
        for (Procedure p : program.procedures().values()) {
            // The masses routine only reads parameters; the derivative program does not need it.
            if (!p.name().equals(Program.MASSES_ENTRY)) {
                procedures.put(p.name(), procedure(p));
            }
        }
        procedures.put(POINT_ENTRY, pointWrapper());
        List<ExternalInput> inputs = new ArrayList<>(program.inputs());
        int n = program.inputs().size();
        for (ExternalInput in : program.inputs()) {
            inputs.add(new ExternalInput(n + in.index(), in.cardName() + SUFFIX, null, List.of(), 0.0));
        }
        return new Program(procedures, commons, inputs, program.setupEntry(), POINT_ENTRY, program.nExternal(), program.nInitial());
    }

    private Variable companion(Variable v) {
        Variable c = companions.get(v);
        if (c != null) {
            return c;
        }
        Storage s = v.storage();
        if (s instanceof Storage.Common cm) {
            int[] index = commonCompanionIndex.get(cm.block());
            return companion(v, new Storage.Common(cm.block(), index[cm.member()]));
        }
        return companion(v, s instanceof Storage.Argument ? null : s);
    }

    private Variable companion(Variable v, Storage storage) {
        return companions.computeIfAbsent(v, k -> new Variable(v.name() + SUFFIX, TangentExpressions.tangentType(v.type()), v.dims(),
                storage == null ? new Storage.Local() : storage, v.pos()));
    }

    private Procedure procedure(Procedure p) {
        List<Variable> params = new ArrayList<>(p.params());
        for (Variable v : p.params()) {
            if (v.type().isDifferentiable()) {
                Variable c = new Variable(v.name() + SUFFIX, TangentExpressions.tangentType(v.type()), v.dims(),
                        new Storage.Argument(params.size()), v.pos());
                companions.put(v, c);
                params.add(c);
            }
        }
        if (p.result() != null && p.result().type().isDifferentiable()) {
            Variable c = new Variable(p.result().name() + SUFFIX, TangentExpressions.tangentType(p.result().type()), List.of(),
                    new Storage.Argument(params.size()), p.pos());
            companions.put(p.result(), c);
            params.add(c);
        }
        List<Variable> locals = new ArrayList<>(p.locals());
        for (Variable v : p.locals()) {
            if (v.type().isDifferentiable()) {
                locals.add(companion(v));
            }
        }
        List<Stmt> body = statements(p.body(), locals);
        List<DataInit> data = new ArrayList<>(p.data());
        return new Procedure(p.name(), params, p.result(), locals, body, data, p.pos());
    }

    private List<Stmt> statements(List<Stmt> in, List<Variable> locals) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : in) {
            statement(s, out, locals);
        }
        return out;
    }

    private void statement(Stmt s, List<Stmt> out, List<Variable> locals) {
        if (s instanceof Stmt.Assign a) {
            if (a.target().type().isDifferentiable()) {
                // The tangent first: it may read the old value the primal assignment overwrites.
                Expr t = tangents.tangent(a.value());
                Type tt = TangentExpressions.tangentType(a.target().type());
                out.add(new Stmt.Assign(a.pos(), tangents.tangent(a.target()), t.type() == tt ? t : new Expr.Convert(t, tt)));
            }
            out.add(a);
        } else if (s instanceof Stmt.ParamInput pi) {
            if (pi.target().type().isDifferentiable()) {
                out.add(new Stmt.ParamInput(pi.pos(), tangents.tangent(pi.target()), program.inputs().size() + pi.input()));
            }
            out.add(pi);
        } else if (s instanceof Stmt.If i) {
            out.add(new Stmt.If(i.pos(), i.condition(), statements(i.then(), locals), statements(i.otherwise(), locals)));
        } else if (s instanceof Stmt.Do d) {
            out.add(new Stmt.Do(d.pos(), d.var(), d.start(), d.end(), d.step(), statements(d.body(), locals)));
        } else if (s instanceof Stmt.While w) {
            out.add(new Stmt.While(w.pos(), w.condition(), statements(w.body(), locals)));
        } else if (s instanceof Stmt.Call c) {
            out.add(call(c));
        } else {
            out.add(s);
        }
    }

    private Stmt call(Stmt.Call c) {
        Procedure callee = program.procedure(c.callee());
        List<Expr> args = new ArrayList<>(c.args());
        for (int i = 0; i < c.args().size(); i++) {
            Variable param = callee.params().get(i);
            if (!param.type().isDifferentiable()) {
                continue;
            }
            Expr actual = c.args().get(i);
            Type tt = TangentExpressions.tangentType(param.type());
            if (actual.type().isDifferentiable()) {
                Expr t = tangents.tangent(actual);
                args.add(t.type() == tt ? t : new Expr.Convert(t, tt));
            } else {
                args.add(TangentExpressions.zero(tt));
            }
        }
        if (callee.result() != null && callee.result().type().isDifferentiable()) {
            args.add(tangents.tangent(c.result()));
        }
        return new Stmt.Call(c.pos(), c.callee(), args, c.result());
    }

    /** SUBROUTINE (P, ANS): ANS = derivative of the original |M|² along the inner direction (momenta fixed). */
    private Procedure pointWrapper() {
        Procedure point = program.procedure(program.pointEntry());
        SourcePosition pos = point.pos();
        Variable p = new Variable("P", Type.REAL, point.params().get(0).dims(), new Storage.Argument(0), pos);
        Variable ans = new Variable("ANS", Type.REAL, List.of(), new Storage.Argument(1), pos);
        Variable pd = new Variable("P" + SUFFIX, Type.REAL, point.params().get(0).dims(), new Storage.Local(), pos);
        Variable value = new Variable("VALUE", Type.REAL, List.of(), new Storage.Local(), pos);
        List<Expr> args = List.of(new Expr.Ref(p), new Expr.Ref(value), new Expr.Ref(pd), new Expr.Ref(ans));
        Stmt call = new Stmt.Call(pos, point.name(), args, null);
        return new Procedure(POINT_ENTRY, List.of(p, ans), null, List.of(pd, value), List.of(call), List.of(), pos);
    }
}
