package io.megrad.codegen.emit.java;

import io.megrad.codegen.ir.CommonBlock;
import io.megrad.codegen.ir.DataInit;
import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Emits a Java class extending {@link io.megrad.runtime.GeneratedProcess} that evaluates a
 * {@link Program} in forward vector mode with {@code directions} tangent directions (0 gives a plain
 * double port; the constant lets javac and the JIT drop all tangent code).
 *
 * <p>Fortran's static storage maps to fields (one instance per thread); each procedure becomes a
 * method named as in the source. Real values are {@code double}, complex values are pairs, arrays
 * are flat {@code double[]} with complex elements interleaved (re, im), and tangents of slot s are
 * {@code x_d[s * N + k]}.
 */
public final class JavaEmitter {
    private final Program program;
    private final int directions;
    private final Conventions conv;
    private final StringBuilder fields = new StringBuilder();
    /** Reverse mode: derivatives live in one adjoint array; each variable has an address there. */
    private final boolean reverse;
    private int nextAddress;
    private final StringBuilder methods = new StringBuilder();
    /** Reverse mode: procedures recorded as one tape record per call, with their adjoints as code. */
    private final Map<String, CallAdjoint> callAdjoints = new java.util.LinkedHashMap<>();
    /** Reverse mode: local arrays living in the tape's frames, by procedure ({@link FramedArrays}). */
    private Map<String, Map<Variable, FramedArrays.Layout>> framed = Map.of();
    /** Reverse mode: particles whose momenta are never seeded, so that adjoints reaching only them can be skipped. */
    private final Set<Integer> passiveParticles;
    /** Reverse mode: the adjoint variants of recorded calls some of whose arguments carry no derivative ({@link InactiveArguments}). */
    private final List<CallAdjoint.Variant> variants = new ArrayList<>();
    /** The variant each such call site (by identity) retags its record with, or its call sequence's adjoint calls. */
    private final Map<Stmt.Call, Integer> variantOf = new java.util.IdentityHashMap<>();
    /** Reverse mode: the procedures whose calls are recorded as one sequence ({@link CallSequences}), with their record ids. */
    private final Map<String, Integer> sequenceIds = new java.util.LinkedHashMap<>();
    /** The adjoint method of each recorded call sequence, by record id. */
    private final Map<Integer, String> sequenceMethods = new java.util.LinkedHashMap<>();
    /** Reverse mode: the calls of each call sequence whose repetitions the backward sweep merges ({@link RepeatedCallSites}). */
    private Map<String, RepeatedCallSites.Plan> repeated = Map.of();
    /** The number of each merged call site in its sequence's {@code NAME$rep} ({@link io.megrad.runtime.RepeatedCalls}). */
    private final Map<Stmt.Call, Integer> repeatedSite = new java.util.IdentityHashMap<>();
    /** The merged call sites of each call sequence, in that order. */
    private final Map<String, List<RepeatedCallSites.Site>> repeatedSites = new java.util.TreeMap<>();

    /** A forward-mode emitter with {@code directions} tangent directions (0: plain double). */
    public JavaEmitter(Program program, int directions) {
        this(program, directions, false, Set.of());
    }

    /** A reverse-mode (adjoint) emitter: the port records a tape and sweeps it backwards. */
    public static JavaEmitter adjoint(Program program) {
        return adjoint(program, Set.of());
    }

    /**
     * A reverse-mode emitter for a port whose gradients never need the momenta of
     * {@code passiveParticles} (numbered from 1): adjoints that could only reach them are not computed.
     */
    public static JavaEmitter adjoint(Program program, Set<Integer> passiveParticles) {
        // Shaped so that more of it is recorded per call (combined vertices and helpers inlined, colour sums outlined) and its adjoint code recomputes less.
        Program shaped = io.megrad.codegen.transform.CombinedRoutineInliner.inline(program);
        shaped = io.megrad.codegen.transform.LeafCallInliner.inline(shaped);
        shaped = io.megrad.codegen.transform.ProductOperands.hoist(shaped);
        shaped = io.megrad.codegen.transform.TailOutliner.outline(shaped);
        return new JavaEmitter(shaped, 0, true, passiveParticles);
    }

    private JavaEmitter(Program program, int directions, boolean reverse, Set<Integer> passiveParticles) {
        this.program = program;
        this.directions = directions;
        this.reverse = reverse;
        this.passiveParticles = Set.copyOf(passiveParticles);
        // Reserved adjoint addresses: momenta, ANS, inputs, and a two-slot sink for constant arguments.
        this.nextAddress = 4 * program.nExternal() + 1 + program.inputs().size() + 2;
        this.conv = new Conventions(program);
        for (Procedure p : program.procedures().values()) {
            conv.registerOwner(p);
        }
    }

    private boolean dual() {
        return directions > 0;
    }

    /** Allocates an adjoint address range of {@code slots} slots and returns its first address. */
    private int allocate(int slots) {
        int a = nextAddress;
        nextAddress += slots;
        return a;
    }

    /** Declares derivative storage for {@code slots} real slots of the variable stored under {@code name}. */
    private void declareTangent(StringBuilder target, String name, int slots) {
        if (reverse) {
            target.append("    private static final int ").append(name).append("_a = ").append(allocate(slots)).append(";\n");
        } else {
            target.append("    private final double[] ").append(name).append("_d = new double[").append(slots).append(" * N];\n");
        }
    }

    public String emit(String packageName, String className) {
        Map<String, Procedure> sorted = new TreeMap<>(program.procedures());
        for (CommonBlock b : new TreeMap<>(program.commons()).values()) {
            for (int i = 0; i < b.members().size(); i++) {
                Variable m = b.members().get(i);
                declareArrayField(commonField(b.name(), i), m, "COMMON /" + b.name() + "/ " + m.name());
            }
        }
        if (reverse) {
            for (Procedure p : sorted.values()) {
                CallAdjoint a = CallAdjoint.of(p, conv, callAdjoints.size());
                if (a != null) {
                    callAdjoints.put(p.name(), a);
                }
            }
            FramedArrays.Plan plan = FramedArrays.of(program, conv, callAdjoints);
            framed = plan.arrays();
            plan.byReference().forEach((callee, params) -> callAdjoints.get(callee).readByReference(params));
            Set<String> sequences = CallSequences.of(program, conv, callAdjoints, framed);
            for (String p : sequences) {
                CallSequences.callees(program.procedure(p)).forEach(callee -> callAdjoints.get(callee).sequence());
            }
            planVariants(sorted);
            for (String p : sequences) {
                sequenceIds.put(p, callAdjoints.size() + variants.size() + sequenceIds.size());
            }
            repeated = RepeatedCallSites.of(program, conv, callAdjoints, framed, sequences);
            for (String p : sequences) {
                RepeatedCallSites.Plan merged = repeated.get(p);
                List<RepeatedCallSites.Site> sites = new ArrayList<>();
                for (Stmt s : program.procedure(p).body()) {
                    RepeatedCallSites.Site site = s instanceof Stmt.Call c ? merged.sites().get(c) : null;
                    if (site != null) {
                        repeatedSite.put((Stmt.Call) s, sites.size());
                        sites.add(site);
                    }
                }
                if (!sites.isEmpty()) {
                    repeatedSites.put(p, sites);
                }
            }
        }
        for (Procedure p : sorted.values()) {
            new ProcedureEmitter(p).emit();
        }
        if (!callAdjoints.isEmpty()) {
            emitCallAdjoints();
        }
        StringBuilder src = new StringBuilder();
        if (packageName != null && !packageName.isEmpty()) {
            src.append("package ").append(packageName).append(";\n\n");
        }
        if (reverse) {
            emitAdjointHeader(src, className);
        } else {
            src.append("/** Generated by megrad from a MadGraph output: forward mode, ").append(directions).append(" directions. */\n");
            src.append("@SuppressWarnings(\"all\")\n");
            src.append("public final class ").append(className).append(" extends io.megrad.runtime.GeneratedProcess {\n");
            src.append("    private static final int N = ").append(directions).append(";\n");
            src.append("    private final double[] ZERO_D = new double[2 * N];\n");
            src.append(fields);
            src.append("\n    public ").append(className).append("() {\n");
            src.append("        super(").append(program.inputs().size()).append(", N);\n");
            src.append("        initData();\n");
            src.append("    }\n\n");
            src.append("    @Override\n    public int directions() {\n        return N;\n    }\n\n");
        }
        emitDataInit(src, sorted);
        emitEntryPoints(src);
        src.append(methods);
        src.append("}\n");
        return src.toString();
    }

    /**
     * One adjoint variant per recorded procedure and set of arguments carrying no derivative, in
     * the order of the call sites (the source must not depend on hashing).
     */
    private void planVariants(Map<String, Procedure> sorted) {
        Map<Stmt.Call, Set<Variable>> passive = InactiveArguments.of(program, conv, callAdjoints, passiveParticles);
        if (passive.isEmpty()) {
            return;
        }
        Map<String, Integer> ids = new java.util.HashMap<>();
        for (Procedure p : sorted.values()) {
            for (Stmt s : p.body()) {
                Set<Variable> args = s instanceof Stmt.Call c ? passive.get(c) : null;
                if (args == null) {
                    continue;
                }
                Stmt.Call c = (Stmt.Call) s;
                String key = c.callee() + args.stream().map(Variable::name).toList();
                if (!ids.containsKey(key)) {
                    CallAdjoint.Variant v = callAdjoints.get(c.callee()).variant(args, callAdjoints.size() + variants.size());
                    if (v != null) {
                        variants.add(v);
                    }
                    ids.put(key, v == null ? null : v.id());
                }
                if (ids.get(key) != null) {
                    variantOf.put(c, ids.get(key));
                }
            }
        }
    }

    /** The adjoint methods of the procedures recorded per call, and the tape's dispatch to them. */
    private void emitCallAdjoints() {
        methods.append("    @Override\n    public void reverseCall(int id, double[] values, int v, int[] addresses, int a, double[] adj, double[] frames) {\n");
        methods.append("        switch (id) {\n");
        // Calls recorded in sequences only are reversed by their sequence's adjoint, never dispatched to.
        for (CallAdjoint c : callAdjoints.values()) {
            if (!c.isSequenced()) {
                methods.append("            case ").append(c.id()).append(" -> ").append(c.procedureName()).append("$rev(values, v, addresses, a, adj, frames);\n");
            }
        }
        for (CallAdjoint.Variant c : variants) {
            if (!c.sequenced()) {
                methods.append("            case ").append(c.id()).append(" -> ").append(c.name()).append("(values, v, addresses, a, adj, frames);\n");
            }
        }
        sequenceMethods.forEach((id, name) ->
                methods.append("            case ").append(id).append(" -> ").append(name).append("(values, v, addresses, a, adj, frames);\n"));
        methods.append("            default -> throw new IllegalStateException(\"no recorded call \" + id);\n");
        methods.append("        }\n    }\n\n");
        int scratch = 0;
        for (CallAdjoint c : callAdjoints.values()) {
            methods.append(c.methods());
            scratch = Math.max(scratch, c.scratchSize());
        }
        for (CallAdjoint.Variant c : variants) {
            methods.append(c.methods());
            scratch = Math.max(scratch, c.scratchSize());
        }
        fields.append("    private final double[] $RA = new double[").append(Math.max(scratch, 1)).append("]; // adjoints passed between parts of a call adjoint\n");
        repeatedSites.forEach((seq, sites) -> {
            fields.append("    private final io.megrad.runtime.RepeatedCalls ").append(seq).append("$rep = new io.megrad.runtime.RepeatedCalls(new long[] {")
                    .append(sites.stream().map(x -> "0x" + Long.toHexString(x.mask()) + "L").collect(java.util.stream.Collectors.joining(", ")))
                    .append("}, new int[] {").append(sites.stream().map(x -> String.valueOf(x.width())).collect(java.util.stream.Collectors.joining(", ")))
                    .append("}); // calls of ").append(seq).append(" repeated across the helicities, whose adjoints run once\n");
        });
    }

    // ------------------------------------------------------------------ storage

    static String commonField(String block, int member) {
        return "C_" + block.replace("$", "") + "__" + member;
    }

    static String localField(Procedure p, Variable v) {
        return p.name() + "__" + v.name().replace("$", "T_");
    }

    private void declareArrayField(String name, Variable v, String comment) {
        declareArrayField(fields, name, v, comment);
    }

    private void declareArrayField(StringBuilder fields, String name, Variable v, String comment) {
        int size = Math.max(v.isArray() ? v.size() : 1, 1);
        switch (v.type()) {
            case INT -> fields.append("    private final int[] ").append(name).append(" = new int[").append(size).append("]; // ").append(comment).append('\n');
            case LOGICAL -> fields.append("    private final boolean[] ").append(name).append(" = new boolean[").append(size).append("]; // ").append(comment).append('\n');
            case CHARACTER -> {
            }
            default -> {
                int slots = size * v.type().realSlots();
                fields.append("    private final double[] ").append(name).append(" = new double[").append(slots).append("]; // ").append(comment).append('\n');
                declareTangent(fields, name, slots);
            }
        }
    }

    private void emitDataInit(StringBuilder src, Map<String, Procedure> sorted) {
        List<String> all = new ArrayList<>();
        List<String> mutable = new ArrayList<>();
        io.megrad.codegen.analysis.SetupWrites setupWrites = io.megrad.codegen.analysis.SetupWrites.of(program);
        for (Procedure p : sorted.values()) {
            for (DataInit d : p.data()) {
                String line = dataLine(p, d);
                all.add(line);
                // Setup-written storage keeps the setup's values; the rest of the mutable state restarts.
                if (conv.isAssigned(d.var()) && !setupWrites.contains(d.var())) {
                    mutable.add(line);
                }
            }
        }
        emitChunked(src, "initData", "Sets every DATA-initialised variable.", all);
        emitChunked(src, "resetPointState",
                "Restores the mutable SAVEd state to its DATA values, so every point is evaluated like a first call.", mutable);
    }

    /** Emits straight-line statements as one method, split into parts that stay far below 64 KB of bytecode. */
    private static void emitChunked(StringBuilder src, String name, String doc, List<String> lines) {
        final int perPart = 500;
        int parts = Math.max(1, (lines.size() + perPart - 1) / perPart);
        src.append("    /** ").append(doc).append(" */\n    private void ").append(name).append("() {\n");
        for (int i = 0; i < parts; i++) {
            src.append("        ").append(name).append("$").append(i).append("();\n");
        }
        src.append("    }\n\n");
        for (int i = 0; i < parts; i++) {
            src.append("    private void ").append(name).append("$").append(i).append("() {\n");
            for (String l : lines.subList(i * perPart, Math.min(lines.size(), (i + 1) * perPart))) {
                src.append(l);
            }
            src.append("    }\n\n");
        }
    }

    private String dataLine(Procedure p, DataInit d) {
        Variable v = d.var();
        String field = v.storage() instanceof Storage.Common c ? commonField(c.block(), c.member()) : localField(p, v);
        Expr val = d.value();
        return switch (v.type()) {
            case INT -> "        " + field + "[" + d.offset() + "] = " + ((Expr.IntConst) val).value() + ";\n";
            case LOGICAL -> "        " + field + "[" + d.offset() + "] = " + ((Expr.LogicalConst) val).value() + ";\n";
            case COMPLEX -> "        " + field + "[" + (2 * d.offset()) + "] = " + ExpressionGraph.literal(((Expr.ComplexConst) val).re()) + ";\n"
                    + "        " + field + "[" + (2 * d.offset() + 1) + "] = " + ExpressionGraph.literal(((Expr.ComplexConst) val).im()) + ";\n";
            case CHARACTER -> "";
            default -> "        " + field + "[" + d.offset() + "] = " + ExpressionGraph.literal(((Expr.RealConst) val).value()) + ";\n";
        };
    }

    /**
     * Reverse mode: the adjoint array holds, in order, the momenta (4·NEXTERNAL), ANS, the inputs,
     * a sink for constant arguments, then every variable's slots.
     */
    private void emitAdjointHeader(StringBuilder src, String className) {
        int nExt = program.nExternal();
        int nIn = program.inputs().size();
        src.append("/** Generated by megrad from a MadGraph output: reverse mode (adjoint with a tape). */\n");
        src.append("@SuppressWarnings(\"all\")\n");
        src.append("public final class ").append(className).append(" extends io.megrad.runtime.GeneratedAdjointProcess {\n");
        src.append("    private static final int P_A = 0;\n");
        src.append("    private static final int ANS_A = ").append(4 * nExt).append(";\n");
        src.append("    private static final int INPUT_A = ").append(4 * nExt + 1).append(";\n");
        src.append("    private static final int ZERO_A = ").append(4 * nExt + 1 + nIn).append(";\n");
        src.append("    private static final int MASSES_A = ").append(allocate(nExt)).append(";\n");
        src.append(fields);
        src.append("    private final double[] ADJ = new double[").append(nextAddress).append("];\n");
        src.append("\n    public ").append(className).append("() {\n");
        src.append("        super(").append(nIn).append(");\n");
        src.append("        initData();\n");
        src.append("    }\n\n");
    }

    /** {@code masses()} from the frontend's optional masses routine (the output's own mass expressions). */
    private void emitMasses(StringBuilder src) {
        Procedure masses = program.procedure(Program.MASSES_ENTRY);
        if (masses == null) {
            return;
        }
        int n = program.nExternal();
        src.append("    @Override\n    public double[] masses() {\n");
        src.append("        final double[] m = new double[").append(n).append("];\n");
        if (reverse) {
            // Record into a throw-away tape: masses are read, not differentiated.
            src.append("        final io.megrad.runtime.Tape saved = tape;\n        tape = new io.megrad.runtime.Tape();\n");
            src.append("        ").append(masses.name()).append("(m, 0, MASSES_A);\n");
            src.append("        tape = saved;\n");
        } else {
            src.append("        ").append(masses.name()).append("(m, 0, new double[").append(n).append(" * N]);\n");
        }
        src.append("        return m;\n    }\n\n");
    }

    private void emitEntryPoints(StringBuilder src) {
        Procedure setup = program.procedure(program.setupEntry());
        Procedure point = program.procedure(program.pointEntry());
        if (!setup.params().isEmpty()) {
            throw new UnsupportedConstructException(setup.pos(), "setup routine with arguments");
        }
        if (point.params().size() != 2 || point.params().get(0).type() != Type.REAL || point.params().get(1).type() != Type.REAL) {
            throw new UnsupportedConstructException(point.pos(), "point routine that is not SUBROUTINE (P, ANS) with REAL*8 arguments");
        }
        emitMasses(src);
        if (reverse) {
            if (!conv.isRefParam(point, 1)) {
                throw new UnsupportedConstructException(point.pos(), "point routine that does not write ANS");
            }
            src.append("    @Override\n    public void setup() {\n        setupTape.clear();\n        tape = setupTape;\n        ")
                    .append(setup.name()).append("();\n    }\n\n");
            src.append("    private final double[] ANS = new double[1];\n\n");
            src.append("    @Override\n    public double evaluate(double[] p, double[] pBar, double[] inputBar) {\n");
            src.append("        resetPointState();\n");
            repeatedSites.keySet().forEach(seq -> src.append("        ").append(seq).append("$rep.reset();\n"));
            src.append("        pointTape.clear();\n        tape = pointTape;\n");
            src.append("        ").append(point.name()).append("(p, 0, P_A, ANS, 0, ANS_A);\n");
            src.append("        java.util.Arrays.fill(ADJ, 0.0);\n");
            src.append("        ADJ[ANS_A] = 1.0;\n");
            src.append("        pointTape.reverse(ADJ);\n");
            src.append("        setupTape.reverse(ADJ);\n");
            src.append("        System.arraycopy(ADJ, P_A, pBar, 0, ").append(4 * program.nExternal()).append(");\n");
            src.append("        System.arraycopy(ADJ, INPUT_A, inputBar, 0, ").append(program.inputs().size()).append(");\n");
            src.append("        return ANS[0];\n    }\n\n");
            return;
        }
        src.append("    @Override\n    public void setup() {\n        ").append(setup.name()).append("();\n    }\n\n");
        src.append("    private final double[] ANS = new double[1];\n    private final double[] ANS_d = new double[N];\n\n");
        src.append("    @Override\n    public double evaluate(double[] p, double[] pD, double[] meD) {\n");
        src.append("        resetPointState();\n");
        boolean ansRef = conv.isRefParam(point, 1);
        if (!ansRef) {
            throw new UnsupportedConstructException(point.pos(), "point routine that does not write ANS");
        }
        src.append("        ").append(point.name()).append("(p, 0, pD, ANS, 0, ANS_d);\n");
        src.append("        System.arraycopy(ANS_d, 0, meD, 0, N);\n");
        src.append("        return ANS[0];\n    }\n\n");
    }

    // ------------------------------------------------------------------ procedures

    private final class ProcedureEmitter implements ExpressionGraph.Context {
        private final Procedure proc;
        private StringBuilder body = new StringBuilder();
        private StringBuilder procFields = new StringBuilder();
        /** In split mode Java locals become fields, so that chunk methods share them. */
        private boolean split;
        private int graphCounter;
        private int indexCounter;
        private java.util.Set<String> declaredScratch = new java.util.HashSet<>();

        /** Reverse mode, procedure recorded per call: its statements run untaped. */
        private final CallAdjoint callAdjoint;
        /** Its local arrays that live in the tape's frames: fresh storage on every call. */
        private final Map<Variable, FramedArrays.Layout> frames;
        /** The top-level statement being emitted, which says where a framed array's access is. */
        private Stmt topLevel;
        /** Recorded as one call sequence: each call's adjoint call, in call order (see {@link #sequenceAdjoint}). */
        private final List<String> sequenceCalls = new ArrayList<>();
        /** Where the next call's values start in the sequence's values. */
        private int sequenceValues;
        /** The adjoint methods of this procedure's call sequence, appended after its own. */
        private String sequenceText = "";
        /**
         * In a call sequence, the computed subscripts of its calls' arguments (the C++ outputs'
         * {@code p[perm[i]]}), by the local naming each: integers nothing in a sequence can change,
         * so the sequence's record keeps their values from its start.
         */
        private final Map<String, String> sequenceIndices = new java.util.LinkedHashMap<>();
        /** In a call sequence, the code of each key slot ({@link RepeatedCallSites}): its calls' integer arguments. */
        private final Map<Integer, String> sequenceKeys = new java.util.TreeMap<>();
        /** In a call sequence, per adjoint call (in call order): its merged call site and where its output's adjoint is, or null. */
        private final List<String[]> sequenceMerges = new ArrayList<>();

        ProcedureEmitter(Procedure proc) {
            this.proc = proc;
            this.callAdjoint = callAdjoints.get(proc.name());
            this.frames = framed.getOrDefault(proc.name(), Map.of());
        }

        /**
         * Emits the procedure as one method, or, when its {@link BytecodeEstimate} would not let
         * HotSpot JIT-compile it, as chunk methods by statement (their locals then become fields).
         */
        void emit() {
            List<String> params = new ArrayList<>();
            List<String> paramNames = new ArrayList<>();
            if (proc.result() != null) {
                params.addAll(refParams(proc.result()));
            }
            for (Variable v : proc.params()) {
                params.addAll(conv.kind(v) == Conventions.Kind.ARG_REF ? refParams(v) : valueParams(v));
            }
            for (String p : params) {
                paramNames.add(p.substring(p.lastIndexOf(' ') + 1));
            }
            List<StringBuilder> segments = emitBody();
            int base = BytecodeEstimate.slotsOf(params) + localSlots();
            int total = segments.stream().mapToInt(seg -> BytecodeEstimate.of(seg, base)).sum();
            if (total > BytecodeEstimate.LIMIT) {
                split = true;
                body = new StringBuilder();
                procFields = new StringBuilder();
                graphCounter = 0;
                indexCounter = 0;
                declaredScratch = new java.util.HashSet<>();
                segments = emitBody();
            }
            String signature = String.join(", ", params);
            methods.append("    /** ").append(proc.name()).append(" from ").append(proc.pos()).append(" */\n");
            methods.append("    private void ").append(proc.name()).append("(").append(signature).append(") {\n");
            if (callAdjoint != null) {
                methods.append(callAdjoint.prologue());
            }
            for (Map.Entry<Variable, FramedArrays.Layout> f : frames.entrySet()) {
                methods.append("        ").append(localField(proc, f.getKey())).append("_f = tape.frame(").append(f.getValue().doubles()).append(");\n");
            }
            Integer sequence = sequenceIds.get(proc.name());
            if (sequence != null) {
                sequenceAdjoint(sequence, paramNames);
            }
            if (!split) {
                methods.append(declareLocals());
                segments.forEach(methods::append);
                methods.append("    }\n\n");
                methods.append(sequenceText);
                fields.append(procFields);
                return;
            }
            // Split: every chunk takes the procedure's arguments and says whether it executed RETURN.
            declareLocals();
            List<StringBuilder> chunks = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            int currentBytes = 0;
            for (StringBuilder seg : segments) {
                int bytes = BytecodeEstimate.of(seg, BytecodeEstimate.slotsOf(params));
                if (current.length() > 0 && currentBytes + bytes > BytecodeEstimate.LIMIT) {
                    chunks.add(current);
                    current = new StringBuilder();
                    currentBytes = 0;
                }
                current.append(seg);
                currentBytes += bytes;
            }
            chunks.add(current);
            String args = String.join(", ", paramNames);
            for (int i = 0; i < chunks.size(); i++) {
                methods.append("        if (").append(proc.name()).append("$").append(i).append("(").append(args).append(")) return;\n");
            }
            methods.append("    }\n\n");
            for (int i = 0; i < chunks.size(); i++) {
                methods.append("    private boolean ").append(proc.name()).append("$").append(i).append("(").append(signature).append(") {\n");
                methods.append(chunks.get(i));
                methods.append("        return false;\n    }\n\n");
            }
            methods.append(sequenceText);
            fields.append(procFields);
        }

        /** Emits the body, one segment per top-level statement (the units a split may cut between). */
        private List<StringBuilder> emitBody() {
            sequenceCalls.clear();
            sequenceIndices.clear();
            sequenceKeys.clear();
            sequenceMerges.clear();
            sequenceValues = 0;
            List<StringBuilder> segments = new ArrayList<>();
            for (int i = 0; i < proc.body().size(); i++) {
                Stmt s = proc.body().get(i);
                body = new StringBuilder();
                topLevel = s;
                statement(s, "        ");
                segments.add(body);
            }
            return segments;
        }

        /** Java code of each channel of an access (integers as a double), for the call adjoint's recording hooks. */
        private CallAdjoint.ValueCode valueCode(String indent) {
            return access -> {
                ExpressionGraph g = graph(indent, proc.pos());
                if (access.type() == Type.INT) {
                    return new String[]{"(double) " + intAccess(access, g)};
                }
                Loc loc = locate(access, g);
                String[] values = new String[loc.channels()];
                for (int ch = 0; ch < values.length; ch++) {
                    values[ch] = loc.value(ch);
                }
                return values;
            };
        }

        /** Slots of the Java locals {@link #declareLocals} declares when the procedure is one method, and of the call record's. */
        private int localSlots() {
            int slots = callAdjoint != null ? 3 : 0;
            for (Variable v : proc.locals()) {
                if (v.type() != Type.CHARACTER && conv.kind(v) == Conventions.Kind.JAVA_LOCAL) {
                    slots += switch (v.type()) {
                        case INT, LOGICAL -> 1;
                        case COMPLEX -> 4;
                        default -> 2;
                    };
                }
            }
            return slots;
        }

        /** Declares locals: Java locals normally, fields in split mode; tangents are always fields. */
        private String declareLocals() {
            StringBuilder locals = new StringBuilder();
            String decl = split ? "    private " : "        ";
            StringBuilder target = split ? procFields : locals;
            for (Variable v : proc.locals()) {
                if (v.type() == Type.CHARACTER) {
                    continue;
                }
                if (conv.kind(v) == Conventions.Kind.JAVA_LOCAL) {
                    String n = localName(v);
                    switch (v.type()) {
                        case INT -> target.append(decl).append("int ").append(n).append(" = 0;\n");
                        case LOGICAL -> target.append(decl).append("boolean ").append(n).append(" = false;\n");
                        case COMPLEX -> {
                            target.append(decl).append("double ").append(n).append("_re = 0.0, ").append(n).append("_im = 0.0;\n");
                            declareTangent(procFields, localField(proc, v), 2);
                        }
                        default -> {
                            target.append(decl).append("double ").append(n).append(" = 0.0;\n");
                            declareTangent(procFields, localField(proc, v), 1);
                        }
                    }
                } else if (frames.containsKey(v)) {
                    // Its values live in the tape's frames; only its adjoint addresses are the field's.
                    declareTangent(procFields, localField(proc, v), v.size() * v.type().realSlots());
                    procFields.append("    private int ").append(localField(proc, v)).append("_f; // where this call's ").append(v.name())
                            .append(" is in the tape's frames\n");
                } else {
                    declareArrayField(procFields, localField(proc, v), v, proc.name() + " " + v.name());
                }
            }
            return locals.toString();
        }

        /** The Java name of a Java-local variable (a field in split mode). */
        private String localName(Variable v) {
            return split ? localField(proc, v) : jname(v);
        }

        private List<String> refParams(Variable v) {
            String n = jname(v);
            return switch (v.type()) {
                case INT -> List.of("int[] " + n, "int " + n + "_o");
                case LOGICAL -> List.of("boolean[] " + n, "int " + n + "_o");
                case CHARACTER -> throw new UnsupportedConstructException(v.pos(), "CHARACTER argument " + v.name() + " of " + proc.name());
                default -> List.of("double[] " + n, "int " + n + "_o", reverse ? "int " + n + "_a" : "double[] " + n + "_d");
            };
        }

        private List<String> valueParams(Variable v) {
            String n = jname(v);
            return switch (v.type()) {
                case INT -> List.of("int " + n);
                case LOGICAL -> List.of("boolean " + n);
                case CHARACTER -> throw new UnsupportedConstructException(v.pos(), "CHARACTER argument " + v.name() + " of " + proc.name());
                case COMPLEX -> reverse ? List.of("double " + n + "_re", "double " + n + "_im", "int " + n + "_a")
                        : List.of("double " + n + "_re", "double " + n + "_im", "double[] " + n + "_d", "int " + n + "_do");
                default -> reverse ? List.of("double " + n, "int " + n + "_a") : List.of("double " + n, "double[] " + n + "_d", "int " + n + "_do");
            };
        }

        private String jname(Variable v) {
            return v.name().replace("$", "T_");
        }

        // -------------------------------------------------------------- addressing

        /** Java code of the array holding v's values, and of the base slot offset. */
        private String arrayOf(Variable v) {
            if (frames.containsKey(v)) {
                return "tape.frames";
            }
            return switch (conv.kind(v)) {
                case ARG_REF -> jname(v);
                case FIELD -> v.storage() instanceof Storage.Common c ? commonField(c.block(), c.member()) : localField(proc, v);
                default -> throw new IllegalStateException("not array-backed: " + v.name());
            };
        }

        private String baseOf(Variable v) {
            if (frames.containsKey(v)) {
                throw new IllegalStateException("framed " + v.name() + " has no single base");
            }
            return conv.kind(v) == Conventions.Kind.ARG_REF ? jname(v) + "_o" : "0";
        }

        /** 0-based element index of an access, as Java int code. */
        private String elementIndex(Expr access, StringBuilder pre, String indent, ExpressionGraph g) {
            if (access instanceof Expr.Ref) {
                return "0";
            }
            Expr.Element e = (Expr.Element) access;
            Variable v = e.var();
            long constant = 0;
            List<String> terms = new ArrayList<>();
            long stride = 1;
            for (int i = 0; i < e.indices().size(); i++) {
                Dim d = v.dims().get(i);
                Expr idx = e.indices().get(i);
                if (idx instanceof Expr.IntConst c) {
                    constant += (c.value() - d.lower()) * stride;
                } else {
                    String code = intCode(idx, g);
                    terms.add(stride == 1 ? "(" + code + ")" : stride + " * (" + code + ")");
                    constant -= (long) d.lower() * stride;
                }
                if (d.extent() != null) {
                    stride *= d.extent();
                }
            }
            if (terms.isEmpty()) {
                return Long.toString(constant);
            }
            String code = String.join(" + ", terms) + (constant == 0 ? "" : " + " + constant);
            String name = "ix" + (indexCounter++);
            pre.append(indent).append("final int ").append(name).append(" = ").append(code).append(";\n");
            if (sequenceIds.containsKey(proc.name())) {
                sequenceIndices.put(name, code);
            }
            return name;
        }

        private String add(String base, String offset) {
            if (base.equals("0")) {
                return offset;
            }
            if (offset.equals("0")) {
                return base;
            }
            return base + " + " + offset;
        }

        private String mulN(String slot) {
            if (slot.equals("0")) {
                return "0";
            }
            return "(" + slot + ") * N";
        }

        @Override
        public Loc locate(Expr access) {
            throw new IllegalStateException("use locate(access, graph)");
        }

        @Override
        public boolean passive(Expr access) {
            throw new IllegalStateException("use the graph's context");
        }

        Loc locate(Expr access, ExpressionGraph g) {
            Variable v = access instanceof Expr.Ref r ? r.var() : ((Expr.Element) access).var();
            int chs = v.type().realSlots();
            String[] values = new String[chs];
            String[] bases = new String[chs];
            Conventions.Kind kind = conv.kind(v);
            if (kind == Conventions.Kind.JAVA_LOCAL) {
                for (int ch = 0; ch < chs; ch++) {
                    values[ch] = chs == 2 ? localName(v) + (ch == 0 ? "_re" : "_im") : localName(v);
                    bases[ch] = reverse ? localField(proc, v) + "_a" + (ch == 0 ? "" : " + 1") : ch == 0 ? "0" : "N";
                }
                return new Loc(values, reverse ? "ADJ" : localField(proc, v) + "_d", bases);
            }
            if (kind == Conventions.Kind.ARG_VALUE) {
                for (int ch = 0; ch < chs; ch++) {
                    values[ch] = chs == 2 ? jname(v) + (ch == 0 ? "_re" : "_im") : jname(v);
                    bases[ch] = reverse ? jname(v) + "_a" + (ch == 0 ? "" : " + 1") : ch == 0 ? jname(v) + "_do" : jname(v) + "_do + N";
                }
                return new Loc(values, reverse ? "ADJ" : jname(v) + "_d", bases);
            }
            String idx = elementIndex(access, g.out(), g.indent(), g);
            String arr = arrayOf(v);
            if (frames.containsKey(v)) {
                // Where this access's column generation is in the frame; its adjoint stays where it always is.
                int shift = frames.get(v).shift(topLevel, access);
                String field = localField(proc, v);
                for (int ch = 0; ch < chs; ch++) {
                    long slot = chs * Long.parseLong(idx) + ch;
                    values[ch] = arr + "[" + field + "_f + " + (shift + slot) + "]";
                    bases[ch] = field + "_a + " + slot;
                }
                return new Loc(values, "ADJ", bases);
            }
            for (int ch = 0; ch < chs; ch++) {
                String slot = chs == 2 ? (isInt(idx) ? Long.toString(2 * Long.parseLong(idx) + ch) : "2 * " + idx + (ch == 0 ? "" : " + 1")) : idx;
                String full = add(baseOf(v), slot);
                values[ch] = arr + "[" + full + "]";
                bases[ch] = reverse ? arr + "_a + " + full : mulN(full);
            }
            return new Loc(values, reverse ? "ADJ" : arr + "_d", bases);
        }

        private boolean isInt(String s) {
            return s.matches("-?\\d+");
        }

        /** Java code reading or writing an INTEGER/LOGICAL scalar or element. */
        private String intAccess(Expr access, ExpressionGraph g) {
            Variable v = access instanceof Expr.Ref r ? r.var() : ((Expr.Element) access).var();
            Conventions.Kind kind = conv.kind(v);
            if (kind == Conventions.Kind.JAVA_LOCAL) {
                return localName(v);
            }
            if (kind == Conventions.Kind.ARG_VALUE) {
                return jname(v);
            }
            String idx = elementIndex(access, g.out(), g.indent(), g);
            return arrayOf(v) + "[" + add(baseOf(v), idx) + "]";
        }

        // -------------------------------------------------------------- integer and logical code

        @Override
        public String intCode(Expr e, ExpressionGraph g) {
            if (e instanceof Expr.IntConst c) {
                return c.value() < 0 ? "(" + c.value() + ")" : Long.toString(c.value());
            }
            if (e instanceof Expr.Ref || e instanceof Expr.Element) {
                return intAccess(e, g);
            }
            if (e instanceof Expr.Unary u) {
                return "(-" + intCode(u.operand(), g) + ")";
            }
            if (e instanceof Expr.Binary b) {
                String code = JavaIntegerCode.binary(b.op(), intCode(b.left(), g), intCode(b.right(), g));
                if (code == null) {
                    throw new UnsupportedConstructException(proc.pos(), "integer operator " + b.op());
                }
                return code;
            }
            if (e instanceof Expr.Intrinsic f) {
                if (f.fn() == Op.Fn.TRUNC) {
                    return "((int) " + g.real(f.args().get(0)).name + ")";
                }
                if (f.fn() == Op.Fn.NINT) {
                    return "io.megrad.runtime.Cx.nint(" + g.real(f.args().get(0)).name + ")";
                }
                String code = JavaIntegerCode.intrinsic(f.fn(), intCode(f.args().get(0), g),
                        f.args().size() > 1 ? intCode(f.args().get(1), g) : null);
                if (code == null) {
                    throw new UnsupportedConstructException(proc.pos(), "integer intrinsic " + f.fn());
                }
                return code;
            }
            if (e instanceof Expr.Convert c) {
                return "((int) " + g.real(c.operand().type() == Type.COMPLEX
                        ? new Expr.Convert(c.operand(), Type.REAL) : c.operand()).name + ")";
            }
            throw new UnsupportedConstructException(proc.pos(), "integer expression " + e.getClass().getSimpleName());
        }

        @Override
        public String boolCode(Expr e, ExpressionGraph g) {
            if (e instanceof Expr.LogicalConst c) {
                return Boolean.toString(c.value());
            }
            if (e instanceof Expr.Ref || e instanceof Expr.Element) {
                return intAccess(e, g);
            }
            if (e instanceof Expr.Unary u) {
                return "(!" + boolCode(u.operand(), g) + ")";
            }
            Expr.Binary b = (Expr.Binary) e;
            if (b.op().isLogical()) {
                return io.megrad.codegen.emit.CFamilySyntax.logical(b.op(), boolCode(b.left(), g), boolCode(b.right(), g));
            }
            String op = io.megrad.codegen.emit.CFamilySyntax.comparison(b.op());
            Type t = b.left().type();
            if (t == Type.INT) {
                return "(" + intCode(b.left(), g) + " " + op + " " + intCode(b.right(), g) + ")";
            }
            if (t == Type.LOGICAL) {
                return "(" + boolCode(b.left(), g) + " " + op + " " + boolCode(b.right(), g) + ")";
            }
            Node[] l = g.channels(b.left());
            Node[] r = g.channels(b.right());
            if (l.length == 2) {
                String eq = "(" + l[0].name + " == " + r[0].name + " && " + l[1].name + " == " + r[1].name + ")";
                return b.op() == Op.Binary.EQ ? eq : "(!" + eq + ")";
            }
            return "(" + l[0].name + " " + op + " " + r[0].name + ")";
        }

        // -------------------------------------------------------------- statements

        private ExpressionGraph graph(String indent, SourcePosition pos) {
            ExpressionGraph[] holder = new ExpressionGraph[1];
            ExpressionGraph.Context ctx = new ExpressionGraph.Context() {
                @Override
                public Loc locate(Expr access) {
                    return ProcedureEmitter.this.locate(access, holder[0]);
                }

                @Override
                public boolean passive(Expr access) {
                    Variable v = access instanceof Expr.Ref r ? r.var() : ((Expr.Element) access).var();
                    return conv.isConstantData(v);
                }

                @Override
                public String intCode(Expr e, ExpressionGraph g) {
                    return ProcedureEmitter.this.intCode(e, g);
                }

                @Override
                public String boolCode(Expr e, ExpressionGraph g) {
                    return ProcedureEmitter.this.boolCode(e, g);
                }
            };
            holder[0] = new ExpressionGraph(ctx, body, indent, pos, "g" + (graphCounter++) + "_");
            return holder[0];
        }

        private void statements(List<Stmt> list, String indent) {
            for (Stmt s : list) {
                statement(s, indent);
            }
        }

        private void statement(Stmt s, String indent) {
            if (callAdjoint != null) {
                body.append(callAdjoint.before(s, valueCode(indent), indent, !split));
                statementCode(s, indent);
                body.append(callAdjoint.after(s, valueCode(indent), indent, !split));
            } else {
                statementCode(s, indent);
            }
        }

        /** A statement's own code (in reverse mode, with its tape records unless the procedure is recorded per call). */
        private void statementCode(Stmt s, String indent) {
            if (s instanceof Stmt.Assign a) {
                body.append(indent).append("{ // ").append(s.pos()).append('\n');
                assign(a.target(), a.value(), indent + "    ", s.pos());
                body.append(indent).append("}\n");
            } else if (s instanceof Stmt.ParamInput pi) {
                body.append(indent).append("{ // param-card input ").append(program.inputs().get(pi.input()).cardName()).append('\n');
                ExpressionGraph g = graph(indent + "    ", s.pos());
                Loc target = locate(pi.target(), g);
                String in = indent + "    ";
                body.append(in).append(target.value(0)).append(" = inputs[").append(pi.input()).append("];\n");
                if (target.channels() == 2) {
                    body.append(in).append(target.value(1)).append(" = 0.0;\n");
                }
                if (reverse) {
                    String reserve = target.channels() == 2
                            ? "tape.reserveChannels(" + target.tangentBase(0) + ", 1, " + target.tangentBase(1) + ", 0)"
                            : "tape.reserveReal(" + target.tangentBase(0) + ", 1)";
                    body.append(in).append("final int $tp = ").append(reserve).append(";\n");
                    body.append(in).append("tape.address[$tp] = INPUT_A + ").append(pi.input()).append(";\n");
                    body.append(in).append("tape.re[$tp] = 1.0;\n");
                } else if (dual()) {
                    body.append(in).append("for (int $k = 0; $k < N; $k++) {\n");
                    body.append(in).append("    ").append(target.tangentArray()).append("[").append(target.tangentBase(0)).append(" + $k] = inputSeeds[")
                            .append(pi.input()).append(" * N + $k];\n");
                    if (target.channels() == 2) {
                        body.append(in).append("    ").append(target.tangentArray()).append("[").append(target.tangentBase(1)).append(" + $k] = 0.0;\n");
                    }
                    body.append(in).append("}\n");
                }
                body.append(indent).append("}\n");
            } else if (s instanceof Stmt.If i) {
                ExpressionGraph g = graph(indent, s.pos());
                String cond = boolCode(i.condition(), g);
                body.append(indent).append("if (").append(cond).append(") {\n");
                statements(i.then(), indent + "    ");
                if (!i.otherwise().isEmpty()) {
                    body.append(indent).append("} else {\n");
                    statements(i.otherwise(), indent + "    ");
                }
                body.append(indent).append("}\n");
            } else if (s instanceof Stmt.Do d) {
                body.append(indent).append("{ // DO ").append(s.pos()).append('\n');
                String in = indent + "    ";
                ExpressionGraph g = graph(in, s.pos());
                String start = intCode(d.start(), g);
                String end = intCode(d.end(), g);
                String step = intCode(d.step(), g);
                String var = intAccess(new Expr.Ref(d.var()), g);
                String n = "trip" + (indexCounter++);
                body.append(in).append("final int ").append(n).append("_step = ").append(step).append(";\n");
                body.append(in).append("int ").append(n).append(" = Math.max((").append(end).append(" - (").append(start).append(") + ")
                        .append(n).append("_step) / ").append(n).append("_step, 0);\n");
                body.append(in).append("for (").append(var).append(" = ").append(start).append("; ").append(n).append(" > 0; ")
                        .append(n).append("--, ").append(var).append(" += ").append(n).append("_step) {\n");
                statements(d.body(), in + "    ");
                body.append(in).append("}\n");
                body.append(indent).append("}\n");
            } else if (s instanceof Stmt.While w) {
                body.append(indent).append("while (true) {\n");
                if (w.condition() != null) {
                    ExpressionGraph g = graph(indent + "    ", s.pos());
                    String cond = boolCode(w.condition(), g);
                    body.append(indent).append("    if (!").append(cond).append(") break;\n");
                }
                statements(w.body(), indent + "    ");
                body.append(indent).append("}\n");
            } else if (s instanceof Stmt.Call c) {
                call(c, indent);
            } else if (s instanceof Stmt.Return) {
                // "if (true)" keeps javac's reachability rules happy when Fortran has statements after RETURN.
                body.append(indent).append(split ? "if (true) return true;\n" : "if (true) return;\n");
            } else if (s instanceof Stmt.Cycle) {
                body.append(indent).append("if (true) continue;\n");
            } else if (s instanceof Stmt.Exit) {
                body.append(indent).append("if (true) break;\n");
            } else if (s instanceof Stmt.Stop) {
                body.append(indent).append("throw new StopException(\"").append(s.pos().toString().replace("\\", "/").replace("\"", "'")).append("\");\n");
            }
        }

        private void assign(Expr target, Expr value, String indent, SourcePosition pos) {
            ExpressionGraph g = graph(indent, pos);
            Type t = target.type();
            if (t == Type.INT) {
                String code = intCode(value, g);
                body.append(indent).append(intAccess(target, g)).append(" = ").append(code).append(";\n");
            } else if (t == Type.LOGICAL) {
                String code = boolCode(value, g);
                body.append(indent).append(intAccess(target, g)).append(" = ").append(code).append(";\n");
            } else {
                Node[] v = g.channels(value);
                Loc loc = locate(target, g);
                store(g, loc, v, value);
            }
        }

        private void call(Stmt.Call c, String indent) {
            Procedure callee = program.procedure(c.callee());
            body.append(indent).append("{ // CALL ").append(c.callee()).append(" at ").append(c.pos()).append('\n');
            String in = indent + "    ";
            ExpressionGraph g = graph(in, c.pos());
            List<String> args = new ArrayList<>();
            if (c.result() != null) {
                args.addAll(refArg(c.result(), callee.result(), g, in, c.pos()));
            }
            if (c.args().size() != callee.params().size()) {
                throw new UnsupportedConstructException(c.pos(), "CALL " + c.callee() + " with " + c.args().size() + " arguments; it takes " + callee.params().size());
            }
            List<List<String>> perParam = new ArrayList<>();
            for (int i = 0; i < c.args().size(); i++) {
                Variable param = callee.params().get(i);
                Expr actual = c.args().get(i);
                List<String> codes = conv.isRefParam(callee, i) ? refArg(actual, param, g, in, c.pos()) : valueArg(actual, param, g, in, c.pos());
                perParam.add(codes);
                args.addAll(codes);
            }
            body.append(in).append(c.callee()).append("(").append(String.join(", ", args)).append(");\n");
            Integer variant = variantOf.get(c);
            if (sequenceIds.containsKey(proc.name())) {
                sequenceCall(c, callee, perParam, variant);
            } else if (variant != null) {
                CallAdjoint adjoint = callAdjoints.get(c.callee());
                body.append(in).append("tape.retagCall(").append(variant).append(", ")
                        .append(adjoint.addressArguments().size() + adjoint.byReference().size()).append("); // arguments carrying no derivative\n");
            }
            body.append(indent).append("}\n");
        }

        /** The adjoint call of recorded call {@code c} in this procedure's call sequence. */
        private void sequenceCall(Stmt.Call c, Procedure callee, List<List<String>> perParam, Integer variant) {
            CallAdjoint adjoint = callAdjoints.get(c.callee());
            String method = variant == null ? c.callee() + "$rev" : variants.get(variant - callAdjoints.size()).name();
            StringBuilder call = new StringBuilder();
            call.append("        ").append(method).append("(tv, v + ").append(sequenceValues).append(", adj, fr");
            for (Variable arg : adjoint.addressArguments()) {
                int i = callee.params().indexOf(arg);
                List<String> codes = perParam.get(i);
                // As the callee computes it: base plus offset for an array, the address itself for a value.
                call.append(", ").append(conv.isRefParam(callee, i) ? "(" + codes.get(2) + ") + (" + codes.get(1) + ")" : codes.get(codes.size() - 1));
            }
            for (Variable arg : adjoint.byReference()) {
                call.append(", ").append(perParam.get(callee.params().indexOf(arg)).get(1));
            }
            call.append("); // ").append(c.callee()).append(" at ").append(c.pos()).append('\n');
            sequenceCalls.add(call.toString());
            sequenceValues += adjoint.valueCount();
            RepeatedCallSites.Plan plan = repeated.getOrDefault(proc.name(), RepeatedCallSites.Plan.NONE);
            int index = indexInBody(c);
            for (int k = 0; k < plan.slots().size(); k++) {
                if (plan.slots().get(k).call() == index) {
                    sequenceKeys.put(k, perParam.get(plan.slots().get(k).param()).get(0));
                }
            }
            RepeatedCallSites.Site site = plan.sites().get(c);
            if (site == null) {
                sequenceMerges.add(null);
            } else {
                List<String> codes = perParam.get(site.outputParam());
                sequenceMerges.add(new String[] {Integer.toString(repeatedSite.get(c)),
                        "(" + codes.get(2) + ") + (" + codes.get(1) + ") + " + site.firstOffset()});
            }
        }

        /**
         * The record of this call's sequence of recorded calls (written on entry: where the frames
         * are and the arguments' addresses, everything its calls' addresses are made of), and its
         * adjoint: the calls' adjoints, last first, in parts the JIT compiles.
         */
        private void sequenceAdjoint(int id, List<String> paramNames) {
            List<String> saved = new ArrayList<>();
            for (Variable v : frames.keySet()) {
                saved.add(localField(proc, v) + "_f");
            }
            for (String p : paramNames) {
                if (p.endsWith("_o") || p.endsWith("_a")) {
                    saved.add(p);
                }
            }
            saved.addAll(sequenceIndices.keySet());
            // Merged repeated calls: after the saved values, the record keeps the call's number (RepeatedCalls.call).
            boolean merging = mergesRepeatedCalls(paramNames);
            List<String> recorded = new ArrayList<>();
            for (String n : saved) {
                recorded.add(sequenceIndices.getOrDefault(n, n));
            }
            List<String> reversed = new ArrayList<>();
            if (merging) {
                StringBuilder key = new StringBuilder();
                sequenceKeys.forEach((k, code) -> key.append(key.length() == 0 ? "" : " | ")
                        .append("io.megrad.runtime.RepeatedCalls.pack(").append(code).append(", ").append(k).append(")"));
                methods.append("        // what tells apart the calls of ").append(proc.name()).append(" whose repetitions in this point have one adjoint\n");
                methods.append("        final long $hk = ").append(key).append(";\n");
                recorded.add(proc.name() + "$rep.call($hk)");
            }
            for (int i = 0; i < sequenceCalls.size(); i++) {
                String call = sequenceCalls.get(i);
                String[] merge = merging ? sequenceMerges.get(i) : null;
                if (merge != null) {
                    call = "        if (" + proc.name() + "$rep.merge(ta[a + " + (recorded.size() - 1) + "], " + merge[0] + ", adj, " + merge[1] + ")) "
                            + call.substring(8);
                }
                reversed.add(call);
            }
            methods.append("        { // one tape record for the whole sequence of calls; ").append(proc.name()).append("$seq$rev reverses it\n");
            methods.append("            final int $seqAt = tape.reserveCall(").append(id).append(", ").append(recorded.size()).append(", 0);\n");
            methods.append("            final int[] $ta = tape.address;\n");
            for (int k = 0; k < recorded.size(); k++) {
                methods.append("            $ta[$seqAt + ").append(k).append("] = ").append(recorded.get(k)).append(";\n");
            }
            methods.append("        }\n");
            CallSequences.checkNames(sequenceCalls, saved, proc);
            String name = proc.name() + "$seq$rev";
            sequenceMethods.put(id, name);
            java.util.Collections.reverse(reversed);
            // Parts the JIT compiles: at most CALLS_PER_METHOD calls, and within the bytecode limit.
            List<List<String>> parts = new ArrayList<>();
            List<String> part = new ArrayList<>();
            for (String call : reversed) {
                List<String> grown = new ArrayList<>(part);
                grown.add(call);
                if (!part.isEmpty() && (grown.size() > CallSequences.CALLS_PER_METHOD
                        || BytecodeEstimate.of(String.join("", grown), 6 + saved.size()) > BytecodeEstimate.LIMIT)) {
                    parts.add(part);
                    part = new ArrayList<>(List.of(call));
                } else {
                    part = grown;
                }
            }
            parts.add(part);
            StringBuilder m = new StringBuilder();
            m.append("    /** Adjoint of one call of ").append(proc.name()).append(": the adjoints of its recorded calls, last first. */\n");
            m.append("    private void ").append(name).append("(double[] tv, int v, int[] ta, int a, double[] adj, double[] fr) {\n");
            for (int k = 0; k < saved.size(); k++) {
                m.append("        final int ").append(saved.get(k)).append(" = ta[a + ").append(k).append("];\n");
            }
            String ints = String.join(", ", saved);
            String head = merging ? "(tv, v, ta, a, adj, fr" : "(tv, v, adj, fr";
            for (int k = 0; k < parts.size(); k++) {
                m.append("        ").append(name).append("$").append(k).append(head).append(saved.isEmpty() ? "" : ", " + ints).append(");\n");
            }
            m.append("    }\n\n");
            StringBuilder params = new StringBuilder();
            for (String n : saved) {
                params.append(", int ").append(n);
            }
            String headParams = merging ? "(double[] tv, int v, int[] ta, int a, double[] adj, double[] fr" : "(double[] tv, int v, double[] adj, double[] fr";
            for (int k = 0; k < parts.size(); k++) {
                m.append("    private void ").append(name).append("$").append(k).append(headParams).append(params).append(") {\n");
                parts.get(k).forEach(m::append);
                m.append("    }\n\n");
            }
            sequenceText = m.toString();
        }

        /**
         * Whether this call sequence merges repeated calls: it has merged call sites, and every key
         * slot's code reads only the procedure's arguments (so that it can run on entry).
         */
        private boolean mergesRepeatedCalls(List<String> paramNames) {
            if (sequenceMerges.stream().allMatch(java.util.Objects::isNull)
                    || sequenceKeys.size() != repeated.get(proc.name()).slots().size()) {
                return false;
            }
            for (String code : sequenceKeys.values()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*").matcher(code);
                while (m.find()) {
                    if (!paramNames.contains(m.group())) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** The index of top-level call {@code c} in this procedure's body. */
        private int indexInBody(Stmt.Call c) {
            for (int i = 0; i < proc.body().size(); i++) {
                if (proc.body().get(i) == c) {
                    return i;
                }
            }
            return -1;
        }

        private List<String> refArg(Expr actual, Variable param, ExpressionGraph g, String indent, SourcePosition pos) {
            if (actual instanceof Expr.Ref || actual instanceof Expr.Element) {
                Variable v = actual instanceof Expr.Ref r ? r.var() : ((Expr.Element) actual).var();
                if (v.type() != param.type()) {
                    throw new UnsupportedConstructException(pos, "passing " + v.type() + " " + v.name() + " to " + param.type() + " argument " + param.name());
                }
                String idx = elementIndex(actual, body, indent, g);
                int slots = v.type() == Type.COMPLEX ? 2 : 1;
                String slot = slots == 2 ? (isInt(idx) ? Long.toString(2 * Long.parseLong(idx)) : "2 * " + idx) : idx;
                String arr = arrayOf(v);
                if (frames.containsKey(v)) {
                    // The callee adds its offset to the adjoint base too: take the frame's back off.
                    String field = localField(proc, v);
                    int shift = frames.get(v).shift(topLevel, actual);
                    return List.of(arr, field + "_f + " + (shift + Long.parseLong(slot)), field + "_a - " + field + "_f" + (shift == 0 ? "" : " - " + shift));
                }
                String off = add(baseOf(v), slot);
                if (v.type() == Type.INT || v.type() == Type.LOGICAL) {
                    return List.of(arr, off);
                }
                return List.of(arr, off, arr + (reverse ? "_a" : "_d"));
            }
            // An expression passed where the callee may write: give it scratch storage of its own.
            String scratch = scratchField(param, "argument scratch");
            if (param.type() == Type.INT) {
                body.append(indent).append(scratch).append("[0] = ").append(intCode(actual, g)).append(";\n");
                return List.of(scratch, "0");
            }
            if (param.type() == Type.LOGICAL) {
                body.append(indent).append(scratch).append("[0] = ").append(boolCode(actual, g)).append(";\n");
                return List.of(scratch, "0");
            }
            Expr converted = convertTo(actual, param.type());
            Node[] v = g.channels(converted);
            store(g, scratchLoc(scratch, param.type()), v, converted);
            return List.of(scratch, "0", scratch + (reverse ? "_a" : "_d"));
        }

        /**
         * Storage for an expression passed as argument {@code param}. A scratch only lives for one
         * call, so call sites share it: one per callee argument (Fortran has no recursion).
         */
        private String scratchField(Variable param, String comment) {
            String owner = program.procedures().values().stream()
                    .filter(p -> p.params().contains(param) || p.result() == param).findFirst().map(Procedure::name).orElse("X");
            String scratch = "S_" + proc.name() + "__" + owner + "_" + jname(param);
            if (declaredScratch.add(scratch)) {
                declareArrayField(procFields, scratch, new Variable(scratch, param.type(), List.of(), new Storage.Saved(), param.pos()), comment);
            }
            return scratch;
        }

        /** Stores a differentiable value with its derivative bookkeeping for the emitter's mode. */
        private void store(ExpressionGraph g, Loc loc, Node[] v, Expr value) {
            if (reverse && callAdjoint == null) {
                g.record(loc, v, value.type() == Type.COMPLEX && Holomorphy.holomorphic(value));
            } else {
                g.store(loc, v, dual());
            }
        }

        private Loc scratchLoc(String scratch, Type t) {
            if (reverse) {
                return new Loc(t == Type.COMPLEX ? new String[]{scratch + "[0]", scratch + "[1]"} : new String[]{scratch + "[0]"},
                        "ADJ", new String[]{scratch + "_a", scratch + "_a + 1"});
            }
            if (t == Type.COMPLEX) {
                return new Loc(new String[]{scratch + "[0]", scratch + "[1]"}, scratch + "_d", new String[]{"0", "N"});
            }
            return new Loc(new String[]{scratch + "[0]"}, scratch + "_d", new String[]{"0"});
        }

        private Expr convertTo(Expr e, Type t) {
            return e.type() == t ? e : new Expr.Convert(e, t);
        }

        private List<String> valueArg(Expr actual, Variable param, ExpressionGraph g, String indent, SourcePosition pos) {
            Type t = param.type();
            if (t == Type.INT) {
                return List.of(intCode(convertTo(actual, Type.INT), g));
            }
            if (t == Type.LOGICAL) {
                return List.of(boolCode(actual, g));
            }
            if (t == Type.CHARACTER) {
                throw new UnsupportedConstructException(pos, "CHARACTER argument");
            }
            if ((actual instanceof Expr.Ref || actual instanceof Expr.Element) && actual.type() == t) {
                Loc loc = locate(actual, g);
                List<String> out = new ArrayList<>();
                for (int ch = 0; ch < loc.channels(); ch++) {
                    out.add(loc.value(ch));
                }
                if (!reverse) {
                    out.add(loc.tangentArray());
                }
                out.add(loc.tangentBase(0));
                return out;
            }
            Expr converted = convertTo(actual, t);
            Node[] v = g.channels(converted);
            boolean constant = true;
            for (Node n : v) {
                constant &= n.constant;
            }
            if (constant) {
                List<String> out = new ArrayList<>();
                for (Node n : v) {
                    out.add(n.name);
                }
                if (reverse) {
                    out.add("ZERO_A");
                } else {
                    out.add("ZERO_D");
                    out.add("0");
                }
                return out;
            }
            String scratch = scratchField(param, "argument value scratch");
            Loc loc = scratchLoc(scratch, t);
            store(g, loc, v, converted);
            List<String> out = new ArrayList<>();
            for (int ch = 0; ch < loc.channels(); ch++) {
                out.add(loc.value(ch));
            }
            if (reverse) {
                out.add(scratch + "_a");
            } else {
                out.add(scratch + "_d");
                out.add("0");
            }
            return out;
        }
    }
}
