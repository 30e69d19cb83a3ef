package io.megrad.codegen.cpp;

import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Type;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;

import java.util.ArrayList;
import java.util.List;

/** C++ types as the IR sees them. */
final class Types {
    private Types() {
    }

    /** The IR type of a non-pointer builtin or {@code std::complex<double>}, or null when {@code t} is something else. */
    static Type scalar(Syntax.TypeName t, SourcePosition pos) {
        switch (t.base()) {
            case "double":
                return Type.REAL;
            case "float":
                return Type.REAL4;
            case "int", "long", "short", "unsigned", "size_t", "std::size_t":
                return Type.INT;
            case "bool":
                return Type.LOGICAL;
            case "long double":
                throw new UnsupportedConstructException(pos, "long double (extended precision)");
            default:
                break;
        }
        if (t.simpleBase().equals("complex") && (t.base().equals("complex") || t.base().equals("std::complex"))) {
            if (t.args().size() != 1 || !t.args().get(0).base().equals("double") || t.args().get(0).pointers() > 0) {
                throw new UnsupportedConstructException(pos, "complex type " + t + " (only std::complex<double>)");
            }
            return Type.COMPLEX;
        }
        return null;
    }

    static boolean isVector(Syntax.TypeName t) {
        return t.simpleBase().equals("vector") && (t.base().equals("vector") || t.base().equals("std::vector")) && t.args().size() == 1;
    }

    static boolean isString(Syntax.TypeName t) {
        return t.base().equals("string") || t.base().equals("std::string");
    }

    /** MadGraph's card reader class (read_slha.h): its reads become param-card inputs. */
    static boolean isCardReader(Syntax.TypeName t) {
        return t.simpleBase().equals("SLHAReader");
    }

    /** IR dimensions of a C++ array with bounds {@code cppDims} (outermost first): reversed, 0-based; null is {@code []}. */
    static List<Dim> irDims(List<Integer> cppDims) {
        List<Dim> dims = new ArrayList<>();
        for (int i = cppDims.size() - 1; i >= 0; i--) {
            Integer n = cppDims.get(i);
            dims.add(new Dim(0, n == null ? null : n - 1));
        }
        return dims;
    }
}
