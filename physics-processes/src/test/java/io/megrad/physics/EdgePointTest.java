package io.megrad.physics;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.megrad.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Phase-space points at the edges, through {@code megrad eval} with derivatives w.r.t. every
 * final-state momentum component: each point's result is finite ({@code "status": "ok"}) or
 * reported as {@code "nonfinite"} with {@code "me": null}; a NaN or infinity is never written as a
 * number. The statuses asserted are what megrad gives today (docs/RELIABILITY.md).
 */
class EdgePointTest {
    private static final double MT = 173.0;
    private static final double MZ = 91.188;
    private static final double MH = 125.0;

    @TempDir
    Path tmp;

    /** A final-state particle along -z (and its partner along +z): polar angle exactly pi. */
    @Test
    void finalStateParticleAlongMinusZ() throws Exception {
        assertStatuses("ee_mumu", List.of("ok"), point(beams(250), m(250, 0, 0, -250), m(250, 0, 0, 250)));
        double pz = Math.sqrt(500 * 500 - MT * MT);
        assertStatuses("gg_ttx", List.of("ok"), point(beams(500), m(500, 0, 0, -pz), m(500, 0, 0, pz)));
    }

    /**
     * Exactly collinear massless pairs are the collinear singularity of the matrix element: 1/s_ij
     * with s_ij = 0. Two final-state gluons along one direction (uu~ > tt~gg), and a final-state
     * gluon along the incoming gluon (gg > tt~g): both nonfinite, reported as such.
     */
    @Test
    void collinearMasslessPairs() throws Exception {
        double[] g = m(200, 0, 120, 160);
        double[][] tops = pair(2000 - 400, 0, -240, -320, MT);
        assertStatuses("uux_ttxgg", List.of("nonfinite"), point(beams(1000), tops[0], tops[1], g, g));
        double[][] tops2 = pair(1500 - 100, 0, 0, -100, MT);
        assertStatuses("gg_ttxg", List.of("nonfinite"), point(beams(750), tops2[0], tops2[1], m(100, 0, 0, 100)));
    }

    /** Massive particles at rest: tt~ at threshold, and ZH at threshold (HELAS's p = 0 branches). */
    @Test
    void zeroThreeMomentumOfMassiveParticles() throws Exception {
        assertStatuses("gg_ttx", List.of("ok"), point(beams(MT), m(MT, 0, 0, 0), m(MT, 0, 0, 0)));
        double rs = MZ + MH;
        assertStatuses("ee_zh", List.of("ok"), point(beams(rs / 2), m(MZ, 0, 0, 0), m(MH, 0, 0, 0)));
    }

    /** 10^8 GeV per beam: |M|^2 of these processes stays finite (dimensionless, or falling like 1/s^k). */
    @Test
    void veryHighEnergies() throws Exception {
        double e = 1e8;
        assertStatuses("ee_mumu", List.of("ok"), point(beams(e), m(e, 6e7, 0, 8e7), m(e, -6e7, 0, -8e7)));
        double[][] tops = pair(2 * e, 0, 0, 0, MT);
        assertStatuses("gg_ttx", List.of("ok"), point(beams(e), tops[0], tops[1]));
        double[] a = massive(e / 2, MT, 0.7, 0.3);
        double[] b = m(e / 2, -a[1], -a[2], -a[3]);
        double[] c = massive(e / 2, 0, 2.0, 1.1);
        double[] d = m(e / 2, -c[1], -c[2], -c[3]);
        assertStatuses("uux_ttxgg", List.of("ok"), point(beams(e), a, b, c, d));
    }

    /** The CSV marker of a nonfinite result: {@code nan} and the status column. */
    @Test
    void nonfiniteResultsInCsv() throws Exception {
        double[][] tops = pair(1500 - 100, 0, 0, -100, MT);
        String csv = eval("gg_ttxg", "csv", List.<double[][]>of(point(beams(750), tops[0], tops[1], m(100, 0, 0, 100))));
        List<String> lines = csv.lines().toList();
        assertTrue(lines.get(0).endsWith(",status"), csv);
        assertTrue(lines.get(1).endsWith(",nonfinite") && lines.get(1).startsWith("nan,"), csv);
        assertFalse(csv.contains("NaN") || csv.contains("Infinity"), csv);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Evaluates the points and checks every point's status against {@code expected}, and the no-NaN contract. */
    private void assertStatuses(String process, List<String> expected, double[][]... points) throws Exception {
        String json = eval(process, "json", List.<double[][]>of(points));
        assertFalse(json.contains("NaN") || json.contains("Infinity"), "no bare NaN or infinity: " + json);
        JsonReader strict = new JsonReader(new StringReader(json));
        strict.setStrictness(Strictness.STRICT);
        JsonObject doc = JsonParser.parseReader(strict).getAsJsonObject();
        JsonArray results = doc.getAsJsonArray("points");
        List<String> statuses = new ArrayList<>();
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            String status = r.get("status").getAsString();
            statuses.add(status);
            if (status.equals("ok")) {
                assertTrue(Double.isFinite(r.get("me").getAsDouble()), json);
                for (JsonElement g : r.getAsJsonArray("grad")) {
                    assertTrue(!g.isJsonNull() && Double.isFinite(g.getAsDouble()), "an ok point has a finite gradient: " + json);
                }
            } else {
                assertEquals("nonfinite", status, json);
            }
        }
        assertEquals(expected.size() == 1 ? java.util.Collections.nCopies(points.length, expected.get(0)) : expected, statuses, json);
    }

    private String eval(String process, String format, List<double[][]> points) throws Exception {
        StringBuilder text = new StringBuilder("{\"points\": [");
        for (int i = 0; i < points.size(); i++) {
            text.append(i == 0 ? "" : ",\n");
            StringBuilder p = new StringBuilder("[");
            for (double[] mom : points.get(i)) {
                p.append(p.length() > 1 ? "," : "").append(String.format(Locale.ROOT, "[%.17g,%.17g,%.17g,%.17g]", mom[0], mom[1], mom[2], mom[3]));
            }
            text.append(p).append(']');
        }
        Path in = Files.writeString(tmp.resolve(process + ".json"), text.append("]}").toString());
        Path out = tmp.resolve(process + "-out." + format);
        StringWriter err = new StringWriter();
        int code = Main.run(new String[]{"eval", Corpus.root().resolve(process).resolve("fortran").toString(), "--points", in.toString(),
                "--wrt", "final", "--format", format, "-o", out.toString(), "--quiet"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        return Files.readString(out);
    }

    private static double[] m(double e, double px, double py, double pz) {
        return new double[]{e, px, py, pz};
    }

    private static double[][] beams(double e) {
        return new double[][]{m(e, 0, 0, e), m(e, 0, 0, -e)};
    }

    private static double[][] point(double[][] beams, double[]... finals) {
        double[][] p = new double[2 + finals.length][];
        p[0] = beams[0];
        p[1] = beams[1];
        System.arraycopy(finals, 0, p, 2, finals.length);
        return p;
    }

    /** Two particles of mass {@code mass} sharing total momentum (e, px, py, pz) equally, split along x. */
    private static double[][] pair(double e, double px, double py, double pz, double mass) {
        double half = e / 2;
        double qx = Math.sqrt(half * half - (py / 2) * (py / 2) - (pz / 2) * (pz / 2) - mass * mass);
        return new double[][]{m(half, px / 2 + qx, py / 2, pz / 2), m(half, px / 2 - qx, py / 2, pz / 2)};
    }

    private static double[] massive(double e, double mass, double theta, double phi) {
        double p = Math.sqrt(e * e - mass * mass);
        return m(e, p * Math.sin(theta) * Math.cos(phi), p * Math.sin(theta) * Math.sin(phi), p * Math.cos(theta));
    }
}
