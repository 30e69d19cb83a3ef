package io.megrad.codegen.emit.java;

import java.util.List;

/**
 * A real-valued node of one statement's expression graph. Its value is {@code name} (a temp, a
 * literal or a variable access); its local partial derivatives w.r.t. its children are Java
 * expressions over node names, evaluated after the primal pass. A leaf has a tangent location.
 * Constants carry no derivative.
 */
final class Node implements io.megrad.codegen.emit.ComplexExpansion.GraphNode {
    final int id;
    final String name;
    final boolean constant;
    final List<Node> children;
    final List<String> partials;
    final Loc leaf;
    final int leafChannel;

    Node(int id, String name, boolean constant, List<Node> children, List<String> partials, Loc leaf, int leafChannel) {
        this.id = id;
        this.name = name;
        this.constant = constant;
        this.children = children;
        this.partials = partials;
        this.leaf = leaf;
        this.leafChannel = leafChannel;
    }

    boolean isLeaf() {
        return leaf != null;
    }

    @Override
    public boolean isZero() {
        return constant && (name.equals("0.0") || name.equals("-0.0"));
    }

    boolean isOne() {
        return constant && name.equals("1.0");
    }
}
