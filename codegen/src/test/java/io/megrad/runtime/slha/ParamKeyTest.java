package io.megrad.runtime.slha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.megrad.runtime.UsageException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ParamKeyTest {
    @Test
    void parsesBlockAndSingleIndexUpperCasingTheBlock() {
        ParamKey key = ParamKey.parse("mass:6");
        assertEquals("MASS", key.block());
        assertEquals(List.of(6), key.indices());
        assertEquals("MASS:6", key.toString());
    }

    @Test
    void parsesMatrixEntry() {
        ParamKey key = ParamKey.parse("NMIX:1:2");
        assertEquals(new ParamKey("nmix", List.of(1, 2)), key);
        assertEquals("NMIX:1:2", key.toString());
    }

    @Test
    void parsesDecayAsPseudoBlock() {
        assertEquals(ParamKey.of("DECAY", 6), ParamKey.parse("DECAY:6"));
        assertEquals(ParamKey.of("decay", 9000006), ParamKey.parse("decay:9000006"));
    }

    @Test
    void bareBlockNameIsTheKeyOfAValueOnlyBlock() {
        ParamKey alpha = ParamKey.parse("alpha");
        assertEquals(List.of(), alpha.indices());
        assertEquals("ALPHA", alpha.toString());
    }

    @Test
    void toStringParsesBackToTheSameKey() {
        for (String spec : List.of("MASS:6", "NMIX:1:2", "RVLAMLLE:1:2:3", "ALPHA", "DECAY:-24")) {
            assertEquals(spec, ParamKey.parse(spec).toString());
            assertEquals(ParamKey.parse(spec), ParamKey.parse(ParamKey.parse(spec).toString()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MASS:x", "MASS:", ":6", "", "MASS:6:", "MASS:1.5", "MA SS:6", "MASS:99999999999"})
    void malformedSpecIsAUsageErrorNamingIt(String spec) {
        UsageException e = assertThrows(UsageException.class, () -> ParamKey.parse(spec));
        assertEquals("bad parameter name '" + spec + "': expected BLOCK:ID or BLOCK:I:J", e.getMessage());
    }

    @Test
    void indicesAreImmutable() {
        ParamKey key = ParamKey.of("NMIX", 1, 2);
        assertThrows(UnsupportedOperationException.class, () -> key.indices().add(3));
        assertTrue(key.equals(ParamKey.parse("nmix:1:2")));
    }
}
