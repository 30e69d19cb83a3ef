package io.megrad.cli.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.megrad.runtime.UsageException;
import io.megrad.runtime.slha.ParamKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class WrtParserTest {
    private static List<String> names(String spec, int nExternal, int nInitial) {
        return WrtParser.parse(spec, nExternal, nInitial).stream().map(Wrt::name).toList();
    }

    private static String failure(String spec) {
        return assertThrows(UsageException.class, () -> WrtParser.parse(spec, 4, 2)).getMessage();
    }

    @Test
    void finalMeansEveryComponentOfEveryOutgoingParticle() {
        assertEquals(List.of("p3.E", "p3.x", "p3.y", "p3.z", "p4.E", "p4.x", "p4.y", "p4.z", "p5.E", "p5.x", "p5.y", "p5.z"),
                names("final", 5, 2));
        assertEquals(List.of("p2.E", "p2.x", "p2.y", "p2.z"), names("FINAL", 2, 1));
    }

    @Test
    void particleAloneMeansItsFourComponents() {
        assertEquals(List.of("p1.E", "p1.x", "p1.y", "p1.z"), names("p1", 4, 2));
    }

    @Test
    void componentLettersInAnyCase() {
        assertEquals(List.of("p3.E", "p3.x", "p4.y", "p4.z"), names("p3.e, P3.X,p4.Y,p4.z", 4, 2));
        assertEquals(new Wrt.MomentumComponent(4, 3), WrtParser.parse("p4.Z", 4, 2).get(0));
    }

    @Test
    void parametersAreUpperCaseKeys() {
        List<Wrt> wrt = WrtParser.parse("mass:6,DECAY:6,nmix:1:2", 4, 2);
        assertEquals(List.of(new Wrt.Parameter(ParamKey.parse("MASS:6")), new Wrt.Parameter(ParamKey.of("DECAY", 6)),
                new Wrt.Parameter(ParamKey.of("NMIX", 1, 2))), wrt);
        assertEquals(List.of("MASS:6", "DECAY:6", "NMIX:1:2"), wrt.stream().map(Wrt::name).toList());
    }

    @Test
    void duplicatesAreDroppedKeepingFirstOrder() {
        assertEquals(List.of("MASS:6", "p4.x", "p3.E", "p3.x", "p3.y", "p3.z", "p4.E", "p4.y", "p4.z"),
                names("MASS:6,p4.x,final,mass:6,p3.E", 4, 2));
    }

    @Test
    void mixesEverythingInOrder() {
        assertEquals(List.of("p3.E", "p3.x", "p3.y", "p3.z", "MASS:6", "p1.z"), names("p3,MASS:6,p1.z", 4, 2));
    }

    @Test
    void nullMeansNothing() {
        assertEquals(List.of(), WrtParser.parse(null, 4, 2));
    }

    @Test
    void finalWithoutOutgoingParticlesIsEmpty() {
        assertEquals(List.of(), names("final", 2, 2));
    }

    @Test
    void unknownNameIsNamed() {
        assertEquals("unknown --wrt item 'fnal': expected final, pN, pN.E|x|y|z, BLOCK:ID or BLOCK:I:J", failure("p3,fnal"));
        assertEquals("unknown --wrt item 'px': expected final, pN, pN.E|x|y|z, BLOCK:ID or BLOCK:I:J", failure("px"));
    }

    @Test
    void unknownComponentIsNamed() {
        assertEquals("unknown momentum component 'px' in --wrt item 'p3.px': expected E, x, y or z", failure("p3.px"));
        assertEquals("unknown momentum component '' in --wrt item 'p3.': expected E, x, y or z", failure("p3."));
    }

    @Test
    void particleOutOfRangeIsNamed() {
        assertEquals("particle 5 in --wrt item 'p5.E' is out of range 1..4", failure("p5.E"));
        assertEquals("particle 0 in --wrt item 'p0' is out of range 1..4", failure("p0"));
        assertEquals("particle 99999999999 in --wrt item 'p99999999999' is out of range 1..4", failure("p99999999999"));
    }

    @Test
    void emptyItemIsReported() {
        assertEquals("empty item in --wrt 'p3,,p4'", failure("p3,,p4"));
        assertEquals("empty item in --wrt 'p3,'", failure("p3,"));
        assertEquals("empty item in --wrt ''", failure(""));
    }

    @Test
    void badParameterIsNamed() {
        assertEquals("bad parameter name 'MASS:x': expected BLOCK:ID or BLOCK:I:J", failure("MASS:x"));
    }

    @Test
    void momentumComponentNames() {
        assertEquals("p3.E", new Wrt.MomentumComponent(3, 0).name());
        assertEquals("p3.x", new Wrt.MomentumComponent(3, 1).name());
        assertEquals("p3.y", new Wrt.MomentumComponent(3, 2).name());
        assertEquals("p3.z", new Wrt.MomentumComponent(3, 3).name());
        assertThrows(IllegalArgumentException.class, () -> new Wrt.MomentumComponent(3, 4));
        assertThrows(IllegalArgumentException.class, () -> new Wrt.MomentumComponent(0, 0));
    }
}
