package io.megrad.runtime.slha;

import io.megrad.fuzz.FuzzCorpus;
import io.megrad.fuzz.Mutations;
import io.megrad.fuzz.NeedsCorpus;
import io.megrad.fuzz.Outcomes;
import io.megrad.runtime.InputException;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing the SLHA reader: mutated corpus param cards and random card-like text give a card of
 * finite entries or an InputException naming {@code file:line}.
 */
class ParamCardFuzzTest {
    private static final List<String> WORDS = List.of("BLOCK ", "Block ", "block", "DECAY ", "QNUMBERS ", "SPINFO",
            "DCINFO", "MASS", "SMINPUTS", "YUKAWA", " Q= ", "Q=", " 9.118800e+01", "#", "\n", "\r\n", "\r", "Auto",
            "1.0D+02", "1.7E+02", " ", "   6 ", "  1  2 ", "-", "\t", "\u00e9", "BLOCK QNUMBERS 9000001", "DECAY 6 Auto");

    @Property
    @AddLifecycleHook(NeedsCorpus.class)
    void mutatedCorpusCardsAreReadOrRejectedWithALine(@ForAll("mutatedCards") Mutations.Input card) {
        read(card);
    }

    @Property
    void randomCardsAreReadOrRejectedWithALine(@ForAll("randomCards") Mutations.Input card) {
        read(card);
    }

    /** Found by randomCards...: a block name with '=' passed the header and failed in ParamKey (IllegalArgumentException). */
    @Example
    void blockNameWithAnEqualsSign() {
        read(new Mutations.Input("regression", List.of(), "BLOCK blockblockQ=\nQNUMBERS "));
        InputException e = assertThrows(InputException.class, () -> ParamCard.parse("BLOCK MASSQ=91\n 6 173\n", "c.dat"));
        assertTrue(e.getMessage().startsWith("c.dat:1: malformed block name"), e.getMessage());
    }

    /** A long run of digits that is not a number must be rejected in linear time (the points readers hung on it). */
    @Example
    void aLongDamagedNumberIsRejectedInLinearTime() {
        read(new Mutations.Input("regression", List.of(), "BLOCK MASS\n 6 " + "1234567890".repeat(40_000) + "x\n"));
    }

    private static void read(Mutations.Input card) {
        ParamCard parsed = Outcomes.check("slha", card, () -> ParamCard.parse(card.text(), "fuzz_card.dat"));
        if (parsed != null) {
            for (ParamKey key : parsed.keys()) {
                assertTrue(Double.isFinite(parsed.value(key).orElseThrow()), key + " in " + card);
            }
        }
    }

    @Provide
    Arbitrary<Mutations.Input> mutatedCards() {
        FuzzCorpus.require();
        return Mutations.mutated(FuzzCorpus.texts(p -> p.endsWith("/param_card.dat")), WORDS, 6);
    }

    @Provide
    Arbitrary<Mutations.Input> randomCards() {
        return Mutations.random(WORDS, 120);
    }
}
