package io.megrad.codegen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A MATRIX that is nothing but calls of routines recorded per call leaves one tape record per
 * call of it, and its callees record only their values (CallSequences); anything else keeps one
 * record per call. Checked: which form the generated source takes, and reverse mode against
 * forward mode (an independent path) and central finite differences in each case, including a
 * sequence long enough to be reversed in several methods.
 */
class CallSequencesTest {
    @TempDir
    Path tmp;

    private Path output(String name, String smatrix, List<String> body) throws IOException {
        return FramedArraysTest.vertexOutput(tmp.resolve(name), smatrix, body);
    }

    private static String adjointSource(Path out) {
        return ReverseChecks.adjointSource(out);
    }

    private void assertAgrees(Path out) {
        ReverseChecks.assertAgrees(out, tmp.resolve("cache"));
    }

    /** The primal method of {@code name} in generated source {@code src}. */
    private static String method(String src, String name) {
        int at = src.indexOf("    private void " + name + "(");
        return src.substring(at, src.indexOf("\n    }\n", at));
    }

    @Test
    void aMatrixOfCallsIsOneRecordPerCall() throws IOException {
        Path out = output("calls", TailOutlinerTest.SMATRIX_F, List.of(InactiveArgumentsTest.RECYCLED_INCOMING));
        String src = adjointSource(out);
        assertTrue(method(src, "MATRIX").contains("tape.reserveCall("), "MATRIX records its call sequence");
        for (String callee : new String[]{"WAVE", "VERT", "AMPL"}) {
            String primal = method(src, callee);
            assertTrue(primal.contains("tape.reserveValues(") && !primal.contains("tape.reserveCall("), callee + " records values only");
        }
        assertTrue(src.contains("case ") && src.contains("-> MATRIX$seq$rev("), "the sweep hands the record to the sequence's adjoint");
        assertFalse(src.contains("-> VERT$rev("), "no record of VERT's own");
        assertAgrees(out);
    }

    @Test
    void aSubscriptOfIntegersIsRecordedWithTheSequence() throws IOException {
        // As the C++ outputs' p[perm[i]]: which momentum depends on the helicity argument H.
        List<String> body = new ArrayList<>(List.of(InactiveArgumentsTest.RECYCLED_INCOMING));
        body.add(0, "CALL WAVE(P(0,3+(1-H)/2), MDL_MT, H, 1, W(1,3))");
        Path out = output("subscript", TailOutlinerTest.SMATRIX_F, body);
        String src = adjointSource(out);
        String matrix = method(src, "MATRIX");
        assertTrue(matrix.contains("tape.reserveCall(") && matrix.matches("(?s).*\\$ta\\[\\$seqAt \\+ \\d+] = [^;]*H[^;]*;.*"),
                "the subscript's value is recorded with the sequence");
        assertAgrees(out);
    }

    @Test
    void aCouplingComputedAtTheCallKeepsOneRecordPerCall() throws IOException {
        // GC_1*i is computed into scratch storage, a statement of its own on the tape.
        Path out = output("computed", TailOutlinerTest.SMATRIX_F, List.of(FramedArraysTest.RECYCLED));
        assertTrue(String.join("", FramedArraysTest.RECYCLED).contains("GC_1*DCMPLX(0D0,1D0)"), "a computed coupling");
        assertFalse(adjointSource(out).contains("$seq$rev"), "no call sequence");
        assertAgrees(out);
    }

    @Test
    void anAssignmentAmongTheCallsKeepsOneRecordPerCall() throws IOException {
        List<String> body = new ArrayList<>(List.of(InactiveArgumentsTest.RECYCLED_INCOMING));
        body.add(2, "W(3,3) = W(4,3)*W(3,1)");
        Path out = output("assign", TailOutlinerTest.SMATRIX_F, body);
        String src = adjointSource(out);
        assertFalse(src.contains("$seq$rev"), "no call sequence");
        assertTrue(method(src, "VERT").contains("tape.reserveCall("), "VERT records its calls");
        assertAgrees(out);
    }

    @Test
    void aCalleeCalledElsewhereKeepsItsRecords() throws IOException {
        // SMATRIX calls WAVE too: WAVE records its calls itself, so MATRIX cannot record it in a sequence.
        String smatrix = TailOutlinerTest.SMATRIX_F.replace("      ANS = 0D0\n",
                "      COMPLEX*16 X(6)\n      CALL WAVE(P(0,1), 0D0, 1, 1, X)\n      ANS = 1D-3*DBLE(X(3)*DCONJG(X(3)))\n");
        assertTrue(smatrix.contains("CALL WAVE"), "SMATRIX calls WAVE");
        Path out = output("elsewhere", smatrix, List.of(InactiveArgumentsTest.RECYCLED_INCOMING));
        String src = adjointSource(out);
        assertFalse(src.contains("$seq$rev"), "no call sequence");
        assertTrue(method(src, "WAVE").contains("tape.reserveCall("), "WAVE records its calls");
        assertAgrees(out);
    }

    @Test
    void aLongSequenceIsReversedInSeveralMethods() throws IOException {
        List<String> body = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            body.add("CALL VERT(W(1," + (1 + k % 2) + "), W(1,4), GC_1, W(1,3))");
            body.add("CALL AMPL(W(1,3), W(1," + (1 + (k + 1) % 2) + "), GC_1, AMP(" + (1 + k % 3) + "))");
        }
        body.add("CALL AMPL(W(1,1), W(1,2), GC_1, AMP(2))");
        body.add("CALL AMPL(W(1,2), W(1,4), GC_1, AMP(3))");
        Path out = output("long", TailOutlinerTest.SMATRIX_F, body);
        String src = adjointSource(out);
        assertTrue(src.contains("private void MATRIX$seq$rev$1("), "a second part");
        assertAgrees(out);
        ClassFileMethods.assertJitCompilable(tmp.resolve("cache"), 3); // the forward, reverse and primal ports
    }
}
