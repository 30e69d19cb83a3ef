package io.megrad.physics;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.megrad.cli.Main;
import io.megrad.codegen.SyntheticOutput;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `sample` and `eval --sample` on a 1 → 2 decay (a synthetic output: t → two massless particles,
 * |M|² = e² p1·p2): points are generated at rest without --sqrt-s, conserve momentum and sit on
 * their mass shells, and evaluate to the formula computed here independently.
 */
class DecaySampleTest {
    @TempDir
    static Path tmp;
    private static Path out;

    static final String MATRIX_F = String.join("\n",
            "      SUBROUTINE SMATRIX(P,ANS)",
            "      IMPLICIT NONE",
            "      INTEGER NEXTERNAL,NINITIAL",
            "      PARAMETER (NEXTERNAL=3,NINITIAL=1)",
            "      REAL*8 P(0:3,NEXTERNAL),ANS",
            "      INCLUDE 'coupl.inc'",
            "      INCLUDE 'input.inc'",
            "      ANS = MDL_EE**2*(P(0,1)*P(0,2)-P(1,1)*P(1,2)-P(2,1)*P(2,2)-P(3,1)*P(3,2))",
            "      END", "");

    @BeforeAll
    static void write() throws Exception {
        out = SyntheticOutput.write(tmp.resolve("decay"), MATRIX_F);
        Path p1 = out.resolve("SubProcesses/P1_test");
        Files.writeString(p1.resolve("nexternal.inc"), String.join("\n",
                "      INTEGER    NEXTERNAL", "      PARAMETER (NEXTERNAL=3)",
                "      INTEGER    NINCOMING", "      PARAMETER (NINCOMING=1)", ""));
        Files.writeString(p1.resolve("pmass.inc"), String.join("\n",
                "      PMASS(1)=SQRT(MDL_MT2)", "      PMASS(2)=ZERO", "      PMASS(3)=ZERO", ""));
    }

    private static int run(StringWriter err, String... args) {
        return Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    }

    private static JsonObject json(Path file) throws Exception {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void decayPointsAreGeneratedAtRestAndEvaluateToTheFormula() throws Exception {
        StringWriter err = new StringWriter();
        Path pts = tmp.resolve("pts.json");
        assertEquals(0, run(err, "sample", out.toString(), "--n", "4", "--seed", "5", "-o", pts.toString()), err.toString());
        Path res = tmp.resolve("res.json");
        assertEquals(0, run(err, "eval", out.toString(), "--sample", "4", "--seed", "5", "-o", res.toString()), err.toString());
        double ee2 = 4 * Math.PI / 127.9;
        JsonArray points = json(pts).getAsJsonArray("points");
        JsonArray results = json(res).getAsJsonArray("points");
        for (int k = 0; k < 4; k++) {
            JsonArray p = points.get(k).getAsJsonArray();
            double[][] q = new double[3][4];
            for (int i = 0; i < 3; i++) {
                for (int mu = 0; mu < 4; mu++) {
                    q[i][mu] = p.get(i).getAsJsonArray().get(mu).getAsDouble();
                }
            }
            assertEquals(173.0, q[0][0], 1e-12);
            for (int mu = 0; mu < 4; mu++) {
                assertEquals(q[0][mu], q[1][mu] + q[2][mu], 1e-10, "momentum conservation, component " + mu);
            }
            for (int i = 1; i < 3; i++) {
                assertEquals(0, q[i][0] * q[i][0] - q[i][1] * q[i][1] - q[i][2] * q[i][2] - q[i][3] * q[i][3], 1e-9, "massless particle " + (i + 1));
            }
            double want = ee2 * (q[0][0] * q[1][0] - q[0][1] * q[1][1] - q[0][2] * q[1][2] - q[0][3] * q[1][3]);
            double me = results.get(k).getAsJsonObject().get("me").getAsDouble();
            assertEquals(want, me, 1e-12 * want, "point " + k);
        }
    }

    @Test
    void aDecayRefusesAnotherEnergy() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "eval", out.toString(), "--sample", "2", "--sqrt-s", "500", "-o", tmp.resolve("x.json").toString()));
        assertTrue(err.toString().contains("a decay is generated at rest: --sqrt-s 500.0 must be the decaying particle's mass, 173.0 GeV"), err.toString());
        assertTrue(Files.notExists(tmp.resolve("x.json")), "no partial output");
    }
}
