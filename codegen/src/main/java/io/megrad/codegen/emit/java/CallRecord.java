package io.megrad.codegen.emit.java;

import io.megrad.codegen.emit.java.CallAdjoint.Version;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one call of a procedure recorded per call ({@link CallAdjoint}) leaves on the tape, and
 * where: its arguments' adjoint addresses, then the values its adjoint loads (the inputs, and the
 * values defined in its body that later statements' partials read), each at an index in the
 * call's tape values. Array arguments every call passes in the tape's frames are not copied: the
 * record keeps where they are. And the code the primal procedure runs to write it.
 */
final class CallRecord {
    /** Elements copied one by one below this run length; at or above it, with one {@code System.arraycopy}. */
    private static final int COPY_RUN = 16;

    private final Procedure proc;
    private final Conventions conv;
    /** Where each recorded version's first channel is in the call's tape values. */
    private final Map<Version, Integer> valueIndex = new LinkedHashMap<>();
    /** Array arguments whose inputs are read where they are, in the tape's frames. */
    private final List<Variable> byReference = new ArrayList<>();
    /** The input of a {@link #byReference} argument at each of the value indices naming them. */
    private final Map<Integer, Version> byReferenceAt = new HashMap<>();
    /** Values the adjoint turned out not to read (a linear function's inputs): not recorded. */
    private final Set<Version> unread = new HashSet<>();
    private int valueCount;

    CallRecord(Procedure proc, Conventions conv) {
        this.proc = proc;
        this.conv = conv;
    }

    static String jname(Variable v) {
        return v.name().replace("$", "T_");
    }

    /**
     * Places the recorded values: {@code inputs} (by argument and element, so an array's elements
     * lie side by side and are copied in runs) and the values defined in the body that the adjoint
     * reads ({@code read}), except those known unread and the inputs of {@link #byReference}
     * arguments, which stay in the frames (the indices they get here, after the record's values,
     * only name them).
     */
    void layout(List<Version> inputs, Set<Version> read) {
        valueIndex.clear();
        byReferenceAt.clear();
        List<Version> recorded = new ArrayList<>(inputs);
        recorded.sort(java.util.Comparator.comparingInt((Version in) -> proc.params().indexOf(in.var)).thenComparingInt(in -> in.slot));
        recorded.addAll(read);
        recorded.removeIf(v -> v.input && byReference.contains(v.var) || unread.contains(v));
        int next = 0;
        for (Version v : recorded) {
            if (!valueIndex.containsKey(v)) {
                valueIndex.put(v, next);
                next += v.channels();
            }
        }
        valueCount = next;
        for (Version in : inputs) {
            if (byReference.contains(in.var)) {
                valueIndex.put(in, next);
                for (int ch = 0; ch < in.channels(); ch++) {
                    byReferenceAt.put(next + ch, in);
                }
                next += in.channels();
            }
        }
    }

    /**
     * Marks the recorded values none of whose indices are in {@code loaded} (the adjoint methods
     * never load them) as unread; true when there were any, and {@link #layout} must run again.
     */
    boolean dropUnread(Set<Integer> loaded) {
        for (Map.Entry<Version, Integer> e : valueIndex.entrySet()) {
            boolean used = false;
            for (int ch = 0; ch < e.getKey().channels(); ch++) {
                used |= loaded.contains(e.getValue() + ch);
            }
            if (!used && !byReference.contains(e.getKey().var)) {
                unread.add(e.getKey());
            }
        }
        return !unread.isEmpty();
    }

    /**
     * Reads the array arguments among {@code params} that have inputs where they are; true when
     * there are any, and {@link #layout} must run again.
     */
    boolean readByReference(Set<Variable> params, List<Version> inputs) {
        byReference.clear();
        for (Variable p : proc.params()) {
            if (params.contains(p) && conv.kind(p) == Conventions.Kind.ARG_REF && p.isArray()
                    && inputs.stream().anyMatch(in -> in.var == p)) {
                byReference.add(p);
            }
        }
        return !byReference.isEmpty();
    }

    /** Doubles one call records. */
    int valueCount() {
        return valueCount;
    }

    /** Where {@code v}'s first channel is (an input read by reference: the index naming it), or null when not recorded. */
    Integer index(Version v) {
        return valueIndex.get(v);
    }

    boolean isUnread(Version v) {
        return unread.contains(v);
    }

    /** The input of an argument read by reference that value index {@code idx} names, or null. */
    Version byReferenceAt(int idx) {
        return byReferenceAt.get(idx);
    }

    /** The arguments read by reference, in the order of their address slots after the arguments'. */
    List<Variable> byReference() {
        return byReference;
    }

    /** Code of argument {@code v}'s adjoint base address, as the primal procedure sees it. */
    private String addressInPrimal(Variable v) {
        return conv.kind(v) == Conventions.Kind.ARG_REF ? jname(v) + "_a + " + jname(v) + "_o" : jname(v) + "_a";
    }

    /** Code of one input value, as the primal procedure sees it. */
    private String valueInPrimal(Version in, int ch) {
        Variable v = in.var;
        if (conv.kind(v) == Conventions.Kind.ARG_REF) {
            return jname(v) + "[" + jname(v) + "_o + " + (in.channels() * in.slot + ch) + "]";
        }
        if (v.type() == Type.INT) {
            return "(double) " + jname(v);
        }
        return in.channels() == 1 ? jname(v) : jname(v) + (ch == 0 ? "_re" : "_im");
    }

    /**
     * The first statements of the primal procedure in a reverse-mode port: the record of call
     * {@code id} with the adjoint addresses of {@code args}, where the arguments read by reference
     * are, and the copies of the other inputs.
     */
    String prologue(int id, List<Variable> args, List<Version> inputs, boolean sequenced) {
        StringBuilder s = new StringBuilder();
        if (sequenced) {
            // Its callers record their call sequences whole: the addresses are known there.
            s.append("        // values for the record of the caller's call sequence; ").append(proc.name()).append("$rev reverses the call\n");
            s.append("        final int $callTc = tape.reserveValues(").append(valueCount).append(");\n");
            s.append("        final double[] $callTv = tape.values;\n");
            s.append("        {\n");
        } else {
            s.append("        // one tape record for the whole call; ").append(proc.name()).append("$rev reverses it\n");
            s.append("        final int $callAt = tape.reserveCall(").append(id).append(", ").append(args.size() + byReference.size()).append(", ").append(valueCount).append(");\n");
            s.append("        final double[] $callTv = tape.values;\n");
            s.append("        final int $callTc = tape.callValues;\n");
            s.append("        {\n");
            s.append("            final int[] $ta = tape.address;\n");
        }
        for (int i = 0; i < args.size() && !sequenced; i++) {
            s.append("            $ta[$callAt + ").append(i).append("] = ").append(addressInPrimal(args.get(i))).append(";\n");
        }
        for (int k = 0; k < byReference.size() && !sequenced; k++) {
            // In the tape's frames, unchanged until the sweep: the record keeps where it is.
            s.append("            $ta[$callAt + ").append(args.size() + k).append("] = ").append(jname(byReference.get(k))).append("_o;\n");
        }
        List<Version> copied = new ArrayList<>(inputs);
        copied.removeIf(in -> byReference.contains(in.var) || !valueIndex.containsKey(in));
        copied.sort(java.util.Comparator.comparingInt(valueIndex::get));
        appendCopies(s, copied);
        s.append("        }\n");
        return s.toString();
    }

    /** Copies {@code byIndex} (inputs in record order) into the record, long runs of an array at once. */
    private void appendCopies(StringBuilder s, List<Version> byIndex) {
        for (int i = 0; i < byIndex.size(); ) {
            Version in = byIndex.get(i);
            int run = contiguousRun(byIndex, i);
            if (run >= COPY_RUN) {
                // A long run of one array's elements (a colour sum's amplitudes): one copy, few bytes of code.
                Version last = byIndex.get(i + run - 1);
                int length = valueIndex.get(last) + last.channels() - valueIndex.get(in);
                String v = jname(in.var);
                s.append("            System.arraycopy(").append(v).append(", ").append(v).append("_o + ").append(in.channels() * in.slot)
                        .append(", $callTv, $callTc + ").append(valueIndex.get(in)).append(", ").append(length).append(");\n");
                i += run;
                continue;
            }
            for (int ch = 0; ch < in.channels(); ch++) {
                s.append("            $callTv[$callTc + ").append(valueIndex.get(in) + ch).append("] = ").append(valueInPrimal(in, ch)).append(";\n");
            }
            i++;
        }
    }

    /** How many inputs from {@code from} on are consecutive elements of one by-reference array, at consecutive record slots. */
    private int contiguousRun(List<Version> byIndex, int from) {
        Version first = byIndex.get(from);
        if (conv.kind(first.var) != Conventions.Kind.ARG_REF) {
            return 1;
        }
        int n = 1;
        while (from + n < byIndex.size()) {
            Version prev = byIndex.get(from + n - 1);
            Version next = byIndex.get(from + n);
            if (next.var != first.var || next.slot != prev.slot + 1
                    || valueIndex.get(next) != valueIndex.get(prev) + prev.channels()) {
                break;
            }
            n++;
        }
        return n;
    }

    /**
     * Records {@code v} (channels' code {@code valueCode}) if the adjoint reads it. In the method
     * holding the prologue its locals name the record (fewer bytes of code, which keeps vertex
     * routines in one method); in a chunk of a split procedure the tape does.
     */
    void record(StringBuilder out, Version v, String[] valueCode, String indent, boolean inPrologueScope) {
        Integer at = valueIndex.get(v);
        if (at == null) {
            return;
        }
        String values = inPrologueScope ? "$callTv[$callTc + " : "tape.values[tape.callValues + ";
        for (int ch = 0; ch < v.channels(); ch++) {
            out.append(indent).append(values).append(at + ch).append("] = ").append(valueCode[ch]).append(";\n");
        }
    }
}
