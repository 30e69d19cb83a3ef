// megrad native runtime: the derivative rule of every non-arithmetic operation, written once.
//
// Each rule is a small struct with the primal value and its partial derivatives side by side (as
// CoDiPack's OperationX structs and megrad's Java ExpressionGraph do); every scalar type (double,
// megrad::Dual<N>, CoDiPack forward and reverse) consumes these same partials. The rules are the
// ones of megrad's Java port, so both backends compute the same numbers, including the choices at
// singular points: sqrt'(0) := 0, MIN/MAX take the derivative of the argument they pick, ABS'(0) = 1.
#pragma once

#include <cmath>
#include <cstdint>

namespace megrad {
namespace rules {

// ---------------------------------------------------------------- one argument: primal(x), d(x, y = primal(x))

struct Sqrt {
    static double primal(double x) { return std::sqrt(x); }
    // sqrt'(0) := 0: the argument is then a minimum (e.g. pt^2 of a particle along z), its tangent is 0,
    // and inf * 0 would poison every derivative with NaN.
    static double d(double, double y) { return y == 0.0 ? 0.0 : 0.5 / y; }
};
struct Exp {
    static double primal(double x) { return std::exp(x); }
    static double d(double, double y) { return y; }
};
struct Log {
    static double primal(double x) { return std::log(x); }
    static double d(double x, double) { return 1.0 / x; }
};
struct Log10 {
    static double primal(double x) { return std::log10(x); }
    static double d(double x, double) { return 1.0 / (x * std::log(10.0)); }
};
struct Sin {
    static double primal(double x) { return std::sin(x); }
    static double d(double x, double) { return std::cos(x); }
};
struct Cos {
    static double primal(double x) { return std::cos(x); }
    static double d(double x, double) { return -std::sin(x); }
};
struct Tan {
    static double primal(double x) { return std::tan(x); }
    static double d(double, double y) { return 1.0 + y * y; }
};
struct Asin {
    static double primal(double x) { return std::asin(x); }
    static double d(double x, double) { return 1.0 / std::sqrt(1.0 - x * x); }
};
struct Acos {
    static double primal(double x) { return std::acos(x); }
    static double d(double x, double) { return -1.0 / std::sqrt(1.0 - x * x); }
};
struct Atan {
    static double primal(double x) { return std::atan(x); }
    static double d(double x, double) { return 1.0 / (1.0 + x * x); }
};
struct Sinh {
    static double primal(double x) { return std::sinh(x); }
    static double d(double x, double) { return std::cosh(x); }
};
struct Cosh {
    static double primal(double x) { return std::cosh(x); }
    static double d(double x, double) { return std::sinh(x); }
};
struct Tanh {
    static double primal(double x) { return std::tanh(x); }
    static double d(double, double y) { return 1.0 - y * y; }
};
struct Abs {
    static double primal(double x) { return std::fabs(x); }
    static double d(double x, double) { return x < 0.0 ? -1.0 : 1.0; }
};
/** Fortran REAL*4 rounding (single-precision literals): the value is rounded, the derivative passes. */
struct Round4 {
    static double primal(double x) { return static_cast<double>(static_cast<float>(x)); }
    static double d(double, double) { return 1.0; }
};

// ---------------------------------------------------------------- two arguments: primal(x, y), dx/dy(x, y, r = primal)

/** Java's Math.min/max: NaN wins, and -0.0 < 0.0. */
inline double javaMin(double a, double b) {
    if (a != a) return a;
    if (a == 0.0 && b == 0.0) return std::signbit(a) ? a : b;
    return a <= b ? a : b;
}
inline double javaMax(double a, double b) {
    if (a != a) return a;
    if (a == 0.0 && b == 0.0) return std::signbit(a) ? b : a;
    return a >= b ? a : b;
}

struct Min {
    static double primal(double x, double y) { return javaMin(x, y); }
    // Fortran MIN picks an argument; the derivative is that argument's.
    static double dx(double x, double y, double) { return x <= y ? 1.0 : 0.0; }
    static double dy(double x, double y, double) { return x <= y ? 0.0 : 1.0; }
};
struct Max {
    static double primal(double x, double y) { return javaMax(x, y); }
    static double dx(double x, double y, double) { return x >= y ? 1.0 : 0.0; }
    static double dy(double x, double y, double) { return x >= y ? 0.0 : 1.0; }
};
/** Fortran SIGN(a, b): |a| with the sign of b. */
struct Sign {
    static double primal(double x, double y) { return y >= 0.0 ? std::fabs(x) : -std::fabs(x); }
    static double dx(double x, double y, double) { return (y >= 0.0) == (x >= 0.0) ? 1.0 : -1.0; }
    static double dy(double, double, double) { return 0.0; }
};
/** Fortran MOD on reals (C fmod, Java %). */
struct Mod {
    static double primal(double x, double y) { return std::fmod(x, y); }
    static double dx(double, double, double) { return 1.0; }
    static double dy(double x, double y, double) { return -static_cast<double>(static_cast<std::int64_t>(x / y)); }
};
/** Fortran DIM(x, y) = max(x - y, 0). */
struct Dim {
    static double primal(double x, double y) { return javaMax(x - y, 0.0); }
    static double dx(double x, double y, double) { return x > y ? 1.0 : 0.0; }
    static double dy(double x, double y, double) { return x > y ? -1.0 : 0.0; }
};
/** ATAN2(y, x): the first argument is y. */
struct Atan2 {
    static double primal(double y, double x) { return std::atan2(y, x); }
    static double dx(double y, double x, double) { return x / (y * y + x * x); }
    static double dy(double y, double x, double) { return -y / (y * y + x * x); }
};
/** |z| of a complex z = x + iy. */
struct Hypot {
    static double primal(double x, double y) { return std::hypot(x, y); }
    static double dx(double x, double, double r) { return r == 0.0 ? 0.0 : x / r; }
    static double dy(double, double y, double r) { return r == 0.0 ? 0.0 : y / r; }
};
/** x**y for real y. */
struct Pow {
    static double primal(double x, double y) { return std::pow(x, y); }
    static double dx(double x, double y, double) { return y * std::pow(x, y - 1.0); }
    static double dy(double x, double, double r) { return std::log(x) * r; }
};

// ---------------------------------------------------------------- holomorphic complex functions w = f(z)
// Each part of w is a real function of (x, y) = (Re z, Im z); with f'(z) = fr + i fi the partials are
// dRe/dx = fr, dRe/dy = -fi, dIm/dx = fi, dIm/dy = fr (Cauchy-Riemann).

/** Principal complex square root, as Fortran's CDSQRT (and megrad's Java Cx.sqrtRe/sqrtIm). */
inline void csqrt(double x, double y, double& re, double& im) {
    if (x == 0.0 && y == 0.0) {
        re = 0.0;
        im = 0.0;
        return;
    }
    double r = std::hypot(x, y);
    if (x >= 0.0) {
        re = std::sqrt(0.5 * (r + x));
        im = y / (2.0 * re);
    } else {
        re = std::fabs(y) / std::sqrt(2.0 * (r - x));
        im = std::copysign(std::sqrt(0.5 * (r - x)), y);
    }
}

struct CsqrtDerivative {
    // f'(z) = 1 / (2 w), taken as 0 at w = 0 (as sqrt'(0) := 0 for reals).
    static void fprime(double x, double y, double& fr, double& fi) {
        double wr, wi;
        csqrt(x, y, wr, wi);
        if (wr == 0.0 && wi == 0.0) {
            fr = 0.0;
            fi = 0.0;
            return;
        }
        double n = 2.0 * (wr * wr + wi * wi);
        fr = wr / n;
        fi = -wi / n;
    }
};
struct CsqrtRe : CsqrtDerivative {
    static double primal(double x, double y) { double re, im; csqrt(x, y, re, im); return re; }
    static double dx(double x, double y, double) { double fr, fi; fprime(x, y, fr, fi); return fr; }
    static double dy(double x, double y, double) { double fr, fi; fprime(x, y, fr, fi); return -fi; }
};
struct CsqrtIm : CsqrtDerivative {
    static double primal(double x, double y) { double re, im; csqrt(x, y, re, im); return im; }
    static double dx(double x, double y, double) { double fr, fi; fprime(x, y, fr, fi); return fi; }
    static double dy(double x, double y, double) { double fr, fi; fprime(x, y, fr, fi); return fr; }
};
struct CexpRe {
    static double primal(double x, double y) { return std::exp(x) * std::cos(y); }
    static double dx(double, double, double r) { return r; }
    static double dy(double x, double y, double) { return -(std::exp(x) * std::sin(y)); }
};
struct CexpIm {
    static double primal(double x, double y) { return std::exp(x) * std::sin(y); }
    static double dx(double, double, double r) { return r; }
    static double dy(double x, double y, double) { return std::exp(x) * std::cos(y); }
};
struct ClogRe {
    static double primal(double x, double y) { return std::log(std::hypot(x, y)); }
    static double dx(double x, double y, double) { return x / (x * x + y * y); }
    static double dy(double x, double y, double) { return y / (x * x + y * y); }
};
struct ClogIm {
    static double primal(double x, double y) { return std::atan2(y, x); }
    static double dx(double x, double y, double) { return -y / (x * x + y * y); }
    static double dy(double x, double y, double) { return x / (x * x + y * y); }
};

}  // namespace rules

// ---------------------------------------------------------------- integer helpers (no derivatives)

/** Fortran integer power; negative exponents follow integer division. */
inline int ipow(int x, int n) {
    if (n < 0) return x == 1 ? 1 : x == -1 ? (n % 2 == 0 ? 1 : -1) : 0;
    int r = 1;
    for (int k = 0; k < n; k++) r *= x;
    return r;
}
inline int isign(int a, int b) { return b >= 0 ? (a < 0 ? -a : a) : (a < 0 ? a : -a); }
/** Fortran NINT: round half away from zero. */
inline int nint(double x) {
    return static_cast<int>(x >= 0 ? std::floor(x + 0.5) : -std::floor(-x + 0.5));
}

}  // namespace megrad
