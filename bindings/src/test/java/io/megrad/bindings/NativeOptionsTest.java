package io.megrad.bindings;

import io.megrad.runtime.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeOptionsTest {
    @TempDir
    Path tmp;

    private Path fakeCodiPack() throws Exception {
        Path dir = tmp.resolve("codipack-include");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("codi.hpp"), "// stand-in\n");
        return dir;
    }

    @Test
    void defaultFallsBackToTheBuiltinScalarWithOneNotice() {
        List<String> notices = new ArrayList<>();
        NativeOptions o = NativeOptions.resolve(null, null, null, Map.of(), notices::add);
        assertEquals(NativeOptions.Ad.BUILTIN, o.ad());
        assertEquals(NativeOptions.Mode.FORWARD, o.mode());
        assertEquals(1, notices.size());
        assertTrue(notices.get(0).contains("CODIPACK_INCLUDE"), notices.get(0));
    }

    @Test
    void defaultUsesCodiPackFromTheEnvironment() throws Exception {
        Path dir = fakeCodiPack();
        List<String> notices = new ArrayList<>();
        NativeOptions o = NativeOptions.resolve(null, "reverse", null, Map.of("CODIPACK_INCLUDE", dir.toString()), notices::add);
        assertEquals(NativeOptions.Ad.CODIPACK, o.ad());
        assertEquals(NativeOptions.Mode.REVERSE, o.mode());
        assertEquals(dir.toAbsolutePath().normalize(), o.codipackInclude());
        assertTrue(notices.isEmpty());
        assertEquals("MEGRAD_AD_CODIPACK_REVERSE", o.adMacro());
    }

    @Test
    void codiPackWithoutItsHeadersIsAClearUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> NativeOptions.resolve("codipack", null, null, Map.of(), s -> { }));
        assertTrue(e.getMessage().contains("--codipack") && e.getMessage().contains("CODIPACK_INCLUDE"), e.getMessage());
    }

    @Test
    void reverseModeNeedsCodiPack() {
        UsageException e = assertThrows(UsageException.class, () -> NativeOptions.resolve(null, "reverse", null, Map.of(), s -> { }));
        assertTrue(e.getMessage().contains("forward-only"), e.getMessage());
        UsageException b = assertThrows(UsageException.class, () -> NativeOptions.resolve("builtin", "reverse", null, Map.of(), s -> { }));
        assertTrue(b.getMessage().contains("forward-only"), b.getMessage());
    }

    @Test
    void aDirectoryWithoutCodiHppIsRejected() {
        UsageException e = assertThrows(UsageException.class,
                () -> NativeOptions.resolve("codipack", null, tmp, Map.of(), s -> { }));
        assertTrue(e.getMessage().contains("codi.hpp"), e.getMessage());
    }

    @Test
    void unknownValuesAreUsageErrors() {
        assertThrows(UsageException.class, () -> NativeOptions.resolve("tapenade", null, null, Map.of(), s -> { }));
        assertThrows(UsageException.class, () -> NativeOptions.resolve(null, "sideways", null, Map.of(), s -> { }));
        assertThrows(UsageException.class, () -> NativeOptions.builtin().withWidth(0));
    }
}
