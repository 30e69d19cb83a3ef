package io.megrad.codegen.discover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes a subprocess declares about itself: helicity combinations, diagrams (amplitudes) and colour
 * flows, read from the constants of {@code matrix.f} ({@code NCOMB}, {@code NGRAPHS}, {@code NCOLOR})
 * or {@code CPPProcess.{h,cc}} ({@code ncomb}, {@code namplitudes}, {@code ncolor}). A count the
 * files do not state is -1.
 */
public record SubprocessCounts(int helicities, int diagrams, int colours) {
    public static SubprocessCounts read(Path subprocessDir) {
        String text = text(subprocessDir.resolve("matrix.f")) + text(subprocessDir.resolve("CPPProcess.h")) + text(subprocessDir.resolve("CPPProcess.cc"));
        return new SubprocessCounts(first(text, "NCOMB"), first(text, "NGRAPHS", "NAMPLITUDES"), first(text, "NCOLOR"));
    }

    private static String text(Path f) {
        try {
            return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static int first(String text, String... names) {
        for (String name : names) {
            Matcher m = Pattern.compile("\\b" + name + "\\s*=\\s*(\\d+)", Pattern.CASE_INSENSITIVE).matcher(text);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return -1;
    }
}
