package io.megrad.codegen;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.transform.ProductOperands;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reverse mode gives large operands of products temporaries of their own in loop-free routines
 * ({@link ProductOperands}), so that their adjoint code reads them back instead of recomputing them.
 * Checked: which operands get one (property: after the transformation no product has an operand of
 * {@code MIN_OPERATIONS} or more operations beside a non-constant one; the other routines are
 * untouched); that |M|² of the reverse port equals the forward port's bit for bit (the
 * temporaries hold exactly the values the expressions computed); and the reverse gradient against
 * forward mode (which does not hoist: an independent path) and central finite differences.
 */
class ProductOperandsTest {
    @TempDir
    Path tmp;

    /** A fermion current shaped like ALOHA's FFV1_2: products whose operands are sums of products. */
    static final String CUR_F = String.join("\n",
            "      SUBROUTINE CUR(F1, V3, COUP, M2, F2)",
            "      IMPLICIT NONE",
            "      COMPLEX*16 F1(*), V3(*), COUP, F2(6), DENOM, CI",
            "      PARAMETER (CI=(0D0,1D0))",
            "      REAL*8 M2, P2(0:3)",
            "      F2(1) = F1(1)+V3(1)",
            "      F2(2) = F1(2)+V3(2)",
            "      P2(0) = -DBLE(F2(1))",
            "      P2(1) = -DBLE(F2(2))",
            "      P2(2) = -DIMAG(F2(2))",
            "      P2(3) = -DIMAG(F2(1))",
            "      DENOM = COUP/(P2(0)**2-P2(1)**2-P2(2)**2-P2(3)**2 - M2*M2)",
            "      F2(3) = DENOM*CI*(F1(3)*(P2(0)*(V3(3)+V3(6))+(P2(1)*(-1D0)",
            "     $ *(V3(4)+CI*(V3(5)))+(P2(2)*(+CI*(V3(4))-V3(5))-P2(3)*(V3(3)",
            "     $ +V3(6)))))+F1(4)*(P2(0)*(V3(4)-CI*(V3(5)))+P2(1)*(-V3(3)",
            "     $ +V3(6))))",
            "      F2(4) = DENOM*(F1(5)*(P2(0)*(-V3(3)+V3(6))+P2(3)*(V3(4)+CI",
            "     $ *V3(5)))+M2*(F1(3)*(V3(4)+CI*(V3(5)))-F1(4)*(V3(3)+V3(6))))",
            "      F2(5) = DENOM*M2*F1(6)",
            "      F2(6) = DENOM*(F1(3)+F1(4))",
            "      END", "");

    static final String MATRIX_F = CallAdjointTest.smatrix(
            "CALL CUR(W1, W2, GC_1, MDL_MT, V)",
            "AMP = V(3)*W3(4) + V(4)*W4(3) + V(5)*W3(5) + V(6)*W4(6)");

    private Path output() throws IOException {
        Path out = JavaPortEndToEndTest.writeOutput(tmp.resolve("out"), MATRIX_F);
        Files.writeString(out.resolve("Source/DHELAS/wave.f"), CallAdjointTest.WAVE_F);
        Files.writeString(out.resolve("Source/DHELAS/cur.f"), CUR_F);
        return out;
    }

    @Test
    void largeOperandsOfProductsGetTemporariesAndNothingElseChanges() throws IOException {
        Program program = JavaPort.translate(MadGraphOutput.open(output()), null).program();
        Program hoisted = ProductOperands.hoist(program);
        Procedure before = program.procedure("CUR");
        Procedure after = hoisted.procedure("CUR");
        long temporaries = after.locals().stream().filter(v -> v.name().startsWith("$P")).count();
        assertTrue(temporaries > 0, "CUR's sums of products become temporaries");
        assertEquals(before.body().size() + temporaries, after.body().size(), "one assignment per temporary");
        for (Stmt s : after.body()) {
            if (s instanceof Stmt.Assign a) {
                assertTrue(noLargeOperand(a.value()), "a product with a large operand is left at " + a.pos());
            }
        }
        assertEquals(program.procedure("SMATRIX"), hoisted.procedure("SMATRIX"), "a routine with calls and loops is left alone");
    }

    @Test
    void theReversePortComputesExactlyWhatTheForwardPortDoes() throws IOException {
        Path out = output();
        JavaPort port = JavaPort.translate(MadGraphOutput.open(out), null);
        ParamCard card = ParamCard.read(out.resolve("Cards/param_card.dat"));
        List<Seed> seeds = List.of(new Seed.Momentum(3, 1));
        double forward = port.evaluator(card, seeds, tmp.resolve("cache"), JavaPort.Mode.FORWARD).evaluate(CallAdjointTest.GENERIC, new double[1]);
        double reverse = port.evaluator(card, seeds, tmp.resolve("cache"), JavaPort.Mode.REVERSE).evaluate(CallAdjointTest.GENERIC, new double[1]);
        assertTrue(forward != 0);
        assertEquals(forward, reverse, 0.0);
    }

    @Test
    void theReverseGradientAgreesWithForwardAndFiniteDifferences() throws IOException {
        Path out = output();
        ReverseChecks.assertReverseAgrees(JavaPort.translate(MadGraphOutput.open(out), null), ParamCard.read(out.resolve("Cards/param_card.dat")),
                ReverseChecks.seeds("MASS:6"), tmp.resolve("cache"), CallAdjointTest.GENERIC);
    }

    private static boolean noLargeOperand(Expr e) {
        if (e instanceof Expr.Binary b) {
            if (b.op() == Op.Binary.MUL && (large(b.left()) && !constant(b.right()) || large(b.right()) && !constant(b.left()))) {
                return false;
            }
            return noLargeOperand(b.left()) && noLargeOperand(b.right());
        }
        if (e instanceof Expr.Unary u) {
            return noLargeOperand(u.operand());
        }
        if (e instanceof Expr.Convert c) {
            return noLargeOperand(c.operand());
        }
        if (e instanceof Expr.Intrinsic f) {
            return f.args().stream().allMatch(ProductOperandsTest::noLargeOperand);
        }
        return true;
    }

    private static boolean large(Expr e) {
        return (e.type() == io.megrad.codegen.ir.Type.REAL || e.type() == io.megrad.codegen.ir.Type.COMPLEX) && operations(e) >= 6;
    }

    private static boolean constant(Expr e) {
        return io.megrad.codegen.ir.ConstantFolder.tryFold(e) != null;
    }

    /** Counted independently of the transformation's own count. */
    private static int operations(Expr e) {
        if (e instanceof Expr.Binary b) {
            return 1 + operations(b.left()) + operations(b.right());
        }
        if (e instanceof Expr.Unary u) {
            return 1 + operations(u.operand());
        }
        if (e instanceof Expr.Intrinsic f) {
            return 1 + f.args().stream().mapToInt(ProductOperandsTest::operations).sum();
        }
        if (e instanceof Expr.Convert c) {
            return operations(c.operand());
        }
        return 0;
    }
}
