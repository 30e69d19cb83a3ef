package io.megrad.codegen.emit.java;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link AdjointSchedule} against hand-worked adjoint parts: each flushed adjoint gathered just
 * before its flush, in the order the sweep completes them, with recorded values loaded where first
 * read and every adjoint's first (assigning) contribution kept first; parts that are not flat
 * straight-line code come back as they are. (That the reordered code computes the same bits is
 * checked by every reverse-mode test: forward against reverse within 1e-12, on the corpus too.)
 */
class AdjointScheduleTest {
    private static final String HEAD = """
                    final double t0 = tv[v + 0];
                    final double t1 = fr[$p_F + 1];
                    final double t2 = tv[v + 2];
                    double aF0 = 0.0;
                    double aF1 = 0.0;
            """;
    private static final String DECLARATIONS = """
                    double aX = 0.0;
                    double aY = 0.0;
            """;
    /** The sweep's order: X's adjoint scattered into F0 and Y; then Y's into F0 and F1. */
    private static final String CODE = """
                    { // a.f:3
                        final double s1_b0 = aOut * (t0);
                        aX = s1_b0;
                        final double s1_b1 = aOut * (t1);
                        aF0 = s1_b1;
                    }
                    { // a.f:2
                        final double s2_b0 = aX * (t2);
                        aY = s2_b0;
                        final double s2_b1 = aX * (t1);
                        aF0 -= s2_b1;
                    }
                    { // a.f:1
                        final double s3_b0 = aY * (t0);
                        aF0 += s3_b0;
                        final double s3_b1 = aY * (t2);
                        aF1 = s3_b1;
                    }
            """;
    private static final String TAIL = """
                    adj[$b_F + 1] += aF1;
                    adj[$b_F] -= aF0;
            """;

    @Test
    void gathersEachFlushedAdjointJustBeforeItsFlush() {
        assertEquals("""
                        double aF0 = 0.0;
                        double aF1 = 0.0;
                        double aX = 0.0;
                        double aY = 0.0;
                        final double t1 = fr[$p_F + 1];
                        final double s1_b1 = aOut * (t1);
                        aF0 = s1_b1;
                        final double t0 = tv[v + 0];
                        final double s1_b0 = aOut * (t0);
                        aX = s1_b0;
                        final double s2_b1 = aX * (t1);
                        aF0 -= s2_b1;
                        final double t2 = tv[v + 2];
                        final double s2_b0 = aX * (t2);
                        aY = s2_b0;
                        final double s3_b0 = aY * (t0);
                        aF0 += s3_b0;
                        adj[$b_F] -= aF0;
                        final double s3_b1 = aY * (t2);
                        aF1 = s3_b1;
                        adj[$b_F + 1] += aF1;
                """, AdjointSchedule.order(HEAD, DECLARATIONS, CODE, TAIL));
    }

    @Test
    void leavesABranchAsItIs() {
        String code = CODE.replace("""
                        aF1 = s3_b1;
                """, """
                        if (t0 > 0.0) {
                            aF1 = s3_b1;
                        }
                """);
        assertEquals(HEAD + DECLARATIONS + code + TAIL, AdjointSchedule.order(HEAD, DECLARATIONS, code, TAIL));
    }

    @Test
    void leavesCodeReadingAnAdjointBeforeItIsCompleteAsItIs() {
        // aX read (second block) before its last contribution (third): not the sweep's invariant, so nothing moves.
        String code = CODE.replace("""
                        aF1 = s3_b1;
                """, """
                        aF1 = s3_b1;
                        aX += s3_b1;
                """);
        assertEquals(HEAD + DECLARATIONS + code + TAIL, AdjointSchedule.order(HEAD, DECLARATIONS, code, TAIL));
    }
}
