// megrad native runtime: the functions and the complex type generated code uses, for any scalar.
//
// Generated process code is templated on the scalar T (values that depend on the momenta) and TP
// (values that depend only on param-card inputs); passive constants stay double. Everything here
// works for double, megrad::Dual<N> and CoDiPack types alike: arithmetic uses the scalar's own
// operators, every other function goes through the rules of ops.hpp (apply1/apply2).
#pragma once

#include <limits>
#include <type_traits>

#include "ops.hpp"
#include "scalar.hpp"

namespace megrad {

// ---------------------------------------------------------------- the common type of two scalar levels

template<class A, class B>
struct CommonImpl {};
template<class A>
struct CommonImpl<A, A> { using type = A; };
template<class A>
struct CommonImpl<A, double> { using type = A; };
template<class B>
struct CommonImpl<double, B> { using type = B; };
template<>
struct CommonImpl<double, double> { using type = double; };

/** double < TP <= T: the type of a result mixing two levels (SFINAE-friendly: no type otherwise). */
template<class A, class B>
using Common = typename CommonImpl<A, B>::type;

// ---------------------------------------------------------------- complex numbers over any scalar

/**
 * A complex number of two scalars. Not std::complex: its arithmetic for non-floating types is
 * unspecified, and megrad needs the exact formulas of its Java port (e.g. no scaling in division).
 */
template<class S>
struct Cx {
    S re;
    S im;

    Cx() : re(0.0), im(0.0) {}
    Cx(const S& r, const S& i) : re(r), im(i) {}
    /** Widening (a passive constant into an active value). */
    template<class B, class = std::enable_if_t<!std::is_same<B, S>::value>>
    Cx(const Cx<B>& o) : re(o.re), im(o.im) {}  // NOLINT: implicit like double -> T
};

/** A purely imaginary constant i*c, so that (0, c) * z costs two multiplications, as in MadGraph's intent. */
struct Imag {
    double c;
};

template<class A, class B>
inline Cx<Common<A, B>> operator+(const Cx<A>& a, const Cx<B>& b) {
    using R = Common<A, B>;
    return Cx<R>(R(a.re + b.re), R(a.im + b.im));
}
template<class A, class B>
inline Cx<Common<A, B>> operator-(const Cx<A>& a, const Cx<B>& b) {
    using R = Common<A, B>;
    return Cx<R>(R(a.re - b.re), R(a.im - b.im));
}
template<class A, class B>
inline Cx<Common<A, B>> operator*(const Cx<A>& a, const Cx<B>& b) {
    using R = Common<A, B>;
    return Cx<R>(R(a.re * b.re - a.im * b.im), R(a.re * b.im + a.im * b.re));
}
template<class A, class B>
inline Cx<Common<A, B>> operator/(const Cx<A>& a, const Cx<B>& b) {
    using R = Common<A, B>;
    B d = b.re * b.re + b.im * b.im;
    return Cx<R>(R((a.re * b.re + a.im * b.im) / d), R((a.im * b.re - a.re * b.im) / d));
}
template<class A>
inline Cx<A> operator-(const Cx<A>& a) {
    return Cx<A>(A(-a.re), A(-a.im));
}

// Mixed with a real scalar (the real operand has no imaginary part to multiply).
template<class A, class B>
inline Cx<Common<A, B>> operator+(const Cx<A>& a, const B& s) {
    using R = Common<A, B>;
    return Cx<R>(R(a.re + s), R(a.im));
}
template<class A, class B>
inline Cx<Common<A, B>> operator+(const A& s, const Cx<B>& b) {
    using R = Common<A, B>;
    return Cx<R>(R(s + b.re), R(b.im));
}
template<class A, class B>
inline Cx<Common<A, B>> operator-(const Cx<A>& a, const B& s) {
    using R = Common<A, B>;
    return Cx<R>(R(a.re - s), R(a.im));
}
template<class A, class B>
inline Cx<Common<A, B>> operator-(const A& s, const Cx<B>& b) {
    using R = Common<A, B>;
    return Cx<R>(R(s - b.re), R(-b.im));
}
template<class A, class B>
inline Cx<Common<A, B>> operator*(const Cx<A>& a, const B& s) {
    using R = Common<A, B>;
    return Cx<R>(R(a.re * s), R(a.im * s));
}
template<class A, class B>
inline Cx<Common<A, B>> operator*(const A& s, const Cx<B>& b) {
    using R = Common<A, B>;
    return Cx<R>(R(s * b.re), R(s * b.im));
}
template<class A, class B>
inline Cx<Common<A, B>> operator/(const Cx<A>& a, const B& s) {
    using R = Common<A, B>;
    return Cx<R>(R(a.re / s), R(a.im / s));
}
template<class A, class B>
inline Cx<Common<A, B>> operator/(const A& s, const Cx<B>& b) {
    using R = Common<A, B>;
    B d = b.re * b.re + b.im * b.im;
    return Cx<R>(R(s * b.re / d), R(-(s * b.im) / d));
}

template<class B>
inline Cx<B> operator*(Imag i, const Cx<B>& z) {
    return Cx<B>(B(-(i.c * z.im)), B(i.c * z.re));
}
template<class A>
inline Cx<A> operator*(const Cx<A>& z, Imag i) {
    return Cx<A>(A(-(z.im * i.c)), A(z.re * i.c));
}
template<class B>
inline Cx<B> operator*(Imag i, const B& s) {
    return Cx<B>(B(0.0), B(i.c * s));
}

/** Re(a * b) without computing the imaginary part (e.g. |M|^2 += Re(ztemp * conj(jamp))). */
template<class A, class B>
inline Common<A, B> re_mul(const Cx<A>& a, const Cx<B>& b) {
    return Common<A, B>(a.re * b.re - a.im * b.im);
}

template<class S>
inline Cx<S> conj(const Cx<S>& z) {
    return Cx<S>(z.re, S(-z.im));
}

// ---------------------------------------------------------------- real functions (rules of ops.hpp)

template<class X> inline auto sqrt(const X& x) { return apply1<rules::Sqrt>(x); }
template<class X> inline auto exp(const X& x) { return apply1<rules::Exp>(x); }
template<class X> inline auto log(const X& x) { return apply1<rules::Log>(x); }
template<class X> inline auto log10(const X& x) { return apply1<rules::Log10>(x); }
template<class X> inline auto sin(const X& x) { return apply1<rules::Sin>(x); }
template<class X> inline auto cos(const X& x) { return apply1<rules::Cos>(x); }
template<class X> inline auto tan(const X& x) { return apply1<rules::Tan>(x); }
template<class X> inline auto asin(const X& x) { return apply1<rules::Asin>(x); }
template<class X> inline auto acos(const X& x) { return apply1<rules::Acos>(x); }
template<class X> inline auto atan(const X& x) { return apply1<rules::Atan>(x); }
template<class X> inline auto sinh(const X& x) { return apply1<rules::Sinh>(x); }
template<class X> inline auto cosh(const X& x) { return apply1<rules::Cosh>(x); }
template<class X> inline auto tanh(const X& x) { return apply1<rules::Tanh>(x); }
template<class X> inline auto abs(const X& x) { return apply1<rules::Abs>(x); }
template<class X> inline auto round4(const X& x) { return apply1<rules::Round4>(x); }

template<class X, class Y> inline auto min(const X& x, const Y& y) { return apply2<rules::Min>(x, y); }
template<class X, class Y> inline auto max(const X& x, const Y& y) { return apply2<rules::Max>(x, y); }
template<class X, class Y> inline auto sign(const X& x, const Y& y) { return apply2<rules::Sign>(x, y); }
template<class X, class Y> inline auto mod(const X& x, const Y& y) { return apply2<rules::Mod>(x, y); }
template<class X, class Y> inline auto dim(const X& x, const Y& y) { return apply2<rules::Dim>(x, y); }
template<class X, class Y> inline auto atan2(const X& y, const Y& x) { return apply2<rules::Atan2>(y, x); }
template<class X, class Y> inline auto pow(const X& x, const Y& y) { return apply2<rules::Pow>(x, y); }

/** x**n by binary exponentiation, the way compilers (and megrad's Java port) expand integer powers. */
template<class S>
inline S powi(const S& x, int n) {
    if (n < 0) {
        return S(1.0 / powi(x, -n));
    }
    if (n == 0) {
        return S(1.0);
    }
    S result = x;
    S base = x;
    bool first = true;
    while (n > 0) {
        if ((n & 1) != 0) {
            if (first) {
                result = base;
                first = false;
            } else {
                result = result * base;
            }
        }
        n >>= 1;
        if (n > 0) {
            base = base * base;
        }
    }
    return result;
}

// ---------------------------------------------------------------- complex functions

template<class S>
inline auto abs(const Cx<S>& z) { return apply2<rules::Hypot>(z.re, z.im); }

template<class S>
inline Cx<S> sqrt(const Cx<S>& z) {
    return Cx<S>(S(apply2<rules::CsqrtRe>(z.re, z.im)), S(apply2<rules::CsqrtIm>(z.re, z.im)));
}
template<class S>
inline Cx<S> exp(const Cx<S>& z) {
    return Cx<S>(S(apply2<rules::CexpRe>(z.re, z.im)), S(apply2<rules::CexpIm>(z.re, z.im)));
}
template<class S>
inline Cx<S> log(const Cx<S>& z) {
    return Cx<S>(S(apply2<rules::ClogRe>(z.re, z.im)), S(apply2<rules::ClogIm>(z.re, z.im)));
}
template<class S>
inline Cx<S> powi(const Cx<S>& x, int n) {
    if (n < 0) {
        return 1.0 / powi(x, -n);
    }
    if (n == 0) {
        return Cx<S>(S(1.0), S(0.0));
    }
    Cx<S> result = x;
    Cx<S> base = x;
    bool first = true;
    while (n > 0) {
        if ((n & 1) != 0) {
            if (first) {
                result = base;
                first = false;
            } else {
                result = result * base;
            }
        }
        n >>= 1;
        if (n > 0) {
            base = base * base;
        }
    }
    return result;
}
/** z**w = exp(w log z). */
template<class A, class B>
inline Cx<Common<A, B>> cpow(const Cx<A>& z, const Cx<B>& w) {
    using R = Common<A, B>;
    return exp(Cx<R>(w * log(z)));
}

/** A translated STOP statement. */
struct Stop {
    const char* where;
};

inline double nan() { return std::numeric_limits<double>::quiet_NaN(); }
inline double inf() { return std::numeric_limits<double>::infinity(); }

}  // namespace megrad
