package io.megrad.codegen.emit.java;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link DeadValues} against hand-worked blocks: what is read stays, with everything it reads. */
class DeadValuesTest {
    @Test
    void keepsWhatTheReadersReadAndWhatThatReads() {
        String values = """
                    final double s_0 = t3;
                    final double s_1 = t4;
                    final double s_2 = -(s_1);
                    final double s_3 = s_0 * s_1;
                    final double s_4 = s_3 + s_2;
                """;
        String readers = "            a_re += s_b9 * (s_0);\n";
        assertEquals("""
                    final double s_0 = t3;
                """, DeadValues.removeUnread(values, readers));
    }

    @Test
    void followsChainsThroughKeptDefinitions() {
        String values = """
                    final double s_0 = t3;
                    final double s_1 = t4;
                    final double s_2 = s_0 * s_1;
                    final double s_3 = s_2 / s_1;
                    final double s_4 = s_0 + s_0;
                """;
        assertEquals("""
                    final double s_0 = t3;
                    final double s_1 = t4;
                    final double s_2 = s_0 * s_1;
                    final double s_3 = s_2 / s_1;
                """, DeadValues.removeUnread(values, "x = s_3;"));
    }

    @Test
    void linesThatAreNotDefinitionsStayAndCountAsReaders() {
        String values = """
                    final double s_0 = t3;
                    final double s_1 = t4;
                    if (s_1 > 0.0) {
                    }
                """;
        assertEquals("""
                    final double s_1 = t4;
                    if (s_1 > 0.0) {
                    }
                """, DeadValues.removeUnread(values, ""));
    }

    @Test
    void aNameThatIsAPrefixOfAnotherIsNotReadByIt() {
        String values = """
                    final double s_1 = t1;
                    final double s_10 = t10;
                """;
        assertEquals("""
                    final double s_10 = t10;
                """, DeadValues.removeUnread(values, "y = s_10;"));
    }
}
