package io.megrad.codegen.analysis;

import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Type;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proves helicity combinations zero, so that the port can skip them: MadGraph's own code skips the
 * combinations that happened to be zero at its first calls; megrad skips only those it can prove
 * vanish for every momentum and parameter.
 *
 * <p>The proof is about the helicity loop, whatever the frontend: an iteration is skipped when
 * {@link ExactZeros} shows it leaves no trace — what it adds to |M|² is exactly zero, and whatever
 * else it writes (wavefunctions, amplitudes, the helicity's |M|²) is overwritten before anything
 * else reads it. That covers Fortran's {@code T = MATRIX(P, NHEL(1,IHEL), JC)} in SMATRIX and C++'s
 * {@code calculate_wavefunctions(perm, helicities[ihel]); t[0] = matrix_1_...()} in sigmaKin alike.
 * The loop gets a guard as its first statement, {@code IF (IHEL is one of them) CYCLE}, so every
 * backend (Java forward and reverse, C++) skips the same iterations. Skipping changes no value the
 * program reads: |M|² and its derivatives are the same bits (up to the sign of an exactly zero sum).
 * Anything the analysis does not model (a loop with unknown bounds, WHILE, STOP) abandons it, and
 * nothing is skipped.
 *
 * <pre>{@code
 * Program fast = ZeroHelicities.transform(new CppFrontend(root, sub).translate());
 * }</pre>
 */
public final class ZeroHelicities {
    private ZeroHelicities() {
    }

    /** A loop with iterations proved to leave no trace: {@code skipped} of the {@code iterations} values its variable takes. */
    public record SkippedIterations(String procedure, String variable, int skipped, int iterations) {
    }

    /** The program with guards skipping the proved iterations, or {@code program} itself when none is proved. */
    public static Program transform(Program program) {
        Map<Stmt.Do, List<Long>> skip = new IdentityHashMap<>();
        for (ExactZeros.LoopFacts f : guardable(program)) {
            List<Long> values = skipped(f);
            if (!values.isEmpty()) {
                skip.put(f.loop(), values);
            }
        }
        if (skip.isEmpty()) {
            return program;
        }
        Map<String, Procedure> procedures = new LinkedHashMap<>();
        for (Procedure p : program.procedures().values()) {
            procedures.put(p.name(), new Procedure(p.name(), p.params(), p.result(), p.locals(), guard(p.body(), skip),
                    p.data(), p.pos()));
        }
        return new Program(procedures, program.commons(), program.inputs(), program.setupEntry(), program.pointEntry(),
                program.nExternal(), program.nInitial());
    }

    /** The loops with skipped iterations, for reports and tests. */
    public static List<SkippedIterations> provedZero(Program program) {
        List<SkippedIterations> out = new ArrayList<>();
        for (ExactZeros.LoopFacts f : guardable(program)) {
            int n = skipped(f).size();
            if (n > 0) {
                out.add(new SkippedIterations(f.procedure(), f.loop().var().name(), n, f.traceless().size()));
            }
        }
        return out;
    }

    /**
     * The analysed loops a guard may go on: not in a procedure the setup also runs (the proof is
     * about points), and appearing once in the program (the guard goes where the proof was made).
     */
    private static List<ExactZeros.LoopFacts> guardable(Program program) {
        List<ExactZeros.LoopFacts> facts;
        try {
            facts = ExactZeros.analyse(program);
        } catch (ExactZeros.GiveUp | ArithmeticException | IndexOutOfBoundsException e) {
            return List.of();
        }
        Map<Stmt.Do, Integer> occurrences = new IdentityHashMap<>();
        for (Procedure p : program.procedures().values()) {
            count(p.body(), occurrences);
        }
        List<ExactZeros.LoopFacts> out = new ArrayList<>();
        for (ExactZeros.LoopFacts f : facts) {
            if (occurrences.getOrDefault(f.loop(), 0) == 1 && !ExactZeros.outsidePoints(program, f.procedure())) {
                out.add(f);
            }
        }
        return out;
    }

    private static List<Long> skipped(ExactZeros.LoopFacts f) {
        List<Long> out = new ArrayList<>();
        f.traceless().forEach((value, traceless) -> {
            if (traceless) {
                out.add(value);
            }
        });
        return out;
    }

    private static void count(List<Stmt> body, Map<Stmt.Do, Integer> occurrences) {
        for (Stmt s : body) {
            if (s instanceof Stmt.If i) {
                count(i.then(), occurrences);
                count(i.otherwise(), occurrences);
            } else if (s instanceof Stmt.Do d) {
                occurrences.merge(d, 1, Integer::sum);
                count(d.body(), occurrences);
            } else if (s instanceof Stmt.While w) {
                count(w.body(), occurrences);
            }
        }
    }

    // ------------------------------------------------------------------ the guard

    /** {@code body} with the guard at the top of each loop in {@code skip}. */
    private static List<Stmt> guard(List<Stmt> body, Map<Stmt.Do, List<Long>> skip) {
        List<Stmt> out = new ArrayList<>(body.size());
        for (Stmt s : body) {
            out.add(guard(s, skip));
        }
        return out;
    }

    private static Stmt guard(Stmt s, Map<Stmt.Do, List<Long>> skip) {
        if (s instanceof Stmt.If i) {
            return new Stmt.If(i.pos(), i.condition(), guard(i.then(), skip), guard(i.otherwise(), skip));
        }
        if (s instanceof Stmt.While w) {
            return new Stmt.While(w.pos(), w.condition(), guard(w.body(), skip));
        }
        if (s instanceof Stmt.Do d) {
            List<Stmt> body = guard(d.body(), skip);
            List<Long> values = skip.get(d);
            if (values != null) {
                body.add(0, new Stmt.If(d.pos(), oneOf(d, values), List.of(new Stmt.Cycle(d.pos())), List.of()));
            }
            return new Stmt.Do(d.pos(), d.var(), d.start(), d.end(), d.step(), body);
        }
        return s;
    }

    /** {@code var} is one of {@code values} (sorted): runs of consecutive values become range tests. */
    private static Expr oneOf(Stmt.Do d, List<Long> values) {
        Expr var = new Expr.Ref(d.var());
        Expr any = null;
        int i = 0;
        while (i < values.size()) {
            int j = i;
            while (j + 1 < values.size() && values.get(j + 1) == values.get(j) + 1) {
                j++;
            }
            Expr test = i == j ? compare(Op.Binary.EQ, var, values.get(i))
                    : new Expr.Binary(Op.Binary.AND, compare(Op.Binary.GE, var, values.get(i)), compare(Op.Binary.LE, var, values.get(j)),
                    Type.LOGICAL);
            any = any == null ? test : new Expr.Binary(Op.Binary.OR, any, test, Type.LOGICAL);
            i = j + 1;
        }
        return any;
    }

    private static Expr compare(Op.Binary op, Expr var, long value) {
        return new Expr.Binary(op, var, new Expr.IntConst(value), Type.LOGICAL);
    }
}
