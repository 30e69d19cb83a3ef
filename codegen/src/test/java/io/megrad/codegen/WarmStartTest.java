package io.megrad.codegen;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A port opened again with the same cache evaluates from the recorded metadata (no translation)
 * and gives the same numbers; a changed source file changes the fingerprint, so the port is
 * translated again rather than served stale.
 */
class WarmStartTest {
    @TempDir
    Path tmp;

    private static final double[][] POINT = {
            {500, 0, 0, 500}, {500, 0, 0, -500}, {480, 110, -220, 310}, {520, -110, 220, -310}};

    private double[] run(Path out, Path cache) {
        JavaPort port = JavaPort.open(MadGraphOutput.open(out), null, cache);
        double[] grad = new double[2];
        double me = port.evaluator(ParamCard.read(out.resolve("Cards/param_card.dat")),
                List.of(new Seed.Momentum(3, 1), new Seed.Momentum(4, 0)), cache, JavaPort.Mode.FORWARD).evaluate(POINT, grad);
        return new double[]{me, grad[0], grad[1]};
    }

    @Test
    void warmRunMatchesAndAChangedSourceIsNotServedStale() throws Exception {
        Path out = JavaPortEndToEndTest.writeOutput(tmp.resolve("out"), JavaPortEndToEndTest.MATRIX_F);
        Path cache = tmp.resolve("cache");
        double[] cold = run(out, cache);
        try (var s = Files.list(cache.resolve("meta"))) {
            assertEquals(1, s.count(), "metadata recorded");
        }
        double[] warm = run(out, cache);
        assertEquals(cold[0], warm[0], 0.0);
        assertEquals(cold[1], warm[1], 0.0);
        Path matrix = out.resolve("SubProcesses/P1_test/matrix.f");
        Files.writeString(matrix, Files.readString(matrix).replace("+ S*MDL_EE", "+ 2D0*S*MDL_EE"));
        double[] changed = run(out, cache);
        assertNotEquals(cold[0], changed[0], "the edited source is translated again");
    }
}
