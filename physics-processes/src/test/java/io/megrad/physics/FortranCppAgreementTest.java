package io.megrad.physics;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For every process the corpus has in both formats, the Fortran and the C++ routes (two frontends
 * translating two independently generated codes) agree within 1e-12 for |M|² and for every
 * derivative, under the corpus comparison rule with the Fortran result as the reference.
 *
 * <p>Both run in forward mode, whose arithmetic follows each output's own code. In reverse mode the
 * routes add the same adjoints in different orders (the Fortran ports merge calls repeated across
 * helicities; the C++ ports do not yet), and a derivative as cancelling as d|M|²/dDECAY:6 of
 * gg_ttxg (each route's reverse result about 5e-13 from the quad-precision reference, on either
 * side) then differs between them by 1.0e-12. {@link ModeAgreementTest} holds each route's reverse
 * mode to its forward mode.
 */
class FortranCppAgreementTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> fortranAndCppRoutesAgree() throws Exception {
        return CppCorpusTest.forEachSubprocess(List.of("fortran_dir", "cpp_dir"), "Fortran+C++", this::check).stream();
    }

    private void check(Path proc, JsonObject sub) throws Exception {
        CppCorpusTest.Result fortran = CppCorpusTest.evaluate(proc, "fortran", sub, tmp, "--mode", "forward");
        CppCorpusTest.Result cpp = CppCorpusTest.evaluate(proc, "cpp", sub, tmp, "--mode", "forward");
        assertEquals(fortran.me().length, cpp.me().length);
        for (int k = 0; k < fortran.me().length; k++) {
            double f = fortran.me()[k];
            assertTrue(Math.abs(cpp.me()[k] - f) <= 1e-12 * Math.abs(f), "point " + k + ": |M|^2 C++ " + cpp.me()[k] + " vs Fortran " + f);
        }
        GradientRule.assertClose(cpp.wrt(), cpp.grad(), fortran.grad(), fortran.me(), 1e-12);
    }
}
