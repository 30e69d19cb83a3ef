package io.megrad.codegen.ir;

import java.util.List;

/** A COMMON block: global storage shared by name; members are matched by position, as the linker does. */
public record CommonBlock(String name, List<Variable> members) {
    public CommonBlock {
        members = List.copyOf(members);
    }
}
