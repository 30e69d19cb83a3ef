package io.megrad.codegen.fortran;

import io.megrad.codegen.ir.CommonBlock;
import io.megrad.codegen.ir.ExternalInput;
import io.megrad.codegen.ir.Variable;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the lowering of one unit needs from the whole program: other units' signatures, the shared
 * COMMON layout, the external inputs, and the queue of procedures still to translate.
 */
final class LoweringContext {
    private final UnitIndex units;
    private final Map<String, CommonBlock> commons = new LinkedHashMap<>();
    private final Map<String, ExternalInput> inputs = new LinkedHashMap<>();
    private final Map<String, List<Integer>> identCard;
    private final Map<String, String> identBlocks;
    private final Deque<String> pending = new ArrayDeque<>();

    /**
     * @param units      every program unit found, by name
     * @param identBlock lower-cased card name → param-card block (from ident_card.dat)
     * @param identIndex lower-cased card name → indices in that block
     */
    LoweringContext(UnitIndex units, Map<String, String> identBlock, Map<String, List<Integer>> identIndex) {
        this.units = units;
        this.identBlocks = identBlock;
        this.identCard = identIndex;
    }

    SourceUnit unit(String name) {
        return units.get(name);
    }

    boolean hasUnit(String name) {
        return units.has(name);
    }

    /** Notes that {@code name} is called, so it will be translated too. */
    void require(String name) {
        pending.add(name);
    }

    Deque<String> pending() {
        return pending;
    }

    Map<String, CommonBlock> commons() {
        return commons;
    }

    List<ExternalInput> inputs() {
        return new ArrayList<>(inputs.values());
    }

    /** The input read under {@code cardName}, created on first use. */
    ExternalInput input(String cardName, double defaultValue) {
        String key = cardName.toLowerCase();
        return inputs.computeIfAbsent(key, k -> new ExternalInput(inputs.size(), cardName, identBlocks.get(k), identCard.get(k), defaultValue));
    }

    /**
     * Registers one unit's view of a COMMON block. The first view fixes the layout; later views must
     * agree member by member in type and size (names may differ, as Fortran allows).
     */
    void registerCommon(String block, List<Variable> members, SourcePosition pos) {
        CommonBlock existing = commons.get(block);
        if (existing == null) {
            commons.put(block, new CommonBlock(block, members));
            return;
        }
        List<Variable> old = existing.members();
        boolean same = old.size() == members.size();
        for (int i = 0; same && i < old.size(); i++) {
            Variable a = old.get(i);
            Variable b = members.get(i);
            same = a.type() == b.type() && a.size() == b.size();
        }
        if (!same) {
            throw new UnsupportedConstructException(pos, "COMMON /" + block + "/ declared with a different layout than in "
                    + Objects.requireNonNullElse(old.isEmpty() ? null : old.get(0).pos(), "another unit"));
        }
    }
}
