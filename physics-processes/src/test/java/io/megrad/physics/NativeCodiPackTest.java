package io.megrad.physics;

import io.megrad.bindings.NativeOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

/**
 * The native corpus checks of {@link NativeCorpusTest} with CoDiPack in forward vector and reverse
 * mode. CoDiPack (GPL-3.0) is never part of this repository: the tests run when CODIPACK_INCLUDE
 * names a CoDiPack 3 include directory and are skipped, saying so, otherwise.
 */
class NativeCodiPackTest {
    private static NativeOptions options(String mode) {
        String include = System.getenv("CODIPACK_INCLUDE");
        Assumptions.assumeTrue(include != null && !include.isBlank(),
                "CODIPACK_INCLUDE is not set: CoDiPack tests skipped (set it to a CoDiPack 3 include directory)");
        return NativeOptions.resolve("codipack", mode, null, Map.of("CODIPACK_INCLUDE", include), s -> { });
    }

    @TestFactory
    Stream<DynamicTest> everyProcessCodiPackForward() throws Exception {
        return NativeCorpusTest.tests(() -> options("forward"), "CoDiPack forward");
    }

    @TestFactory
    Stream<DynamicTest> everyProcessCodiPackReverse() throws Exception {
        return NativeCorpusTest.tests(() -> options("reverse"), "CoDiPack reverse");
    }
}
