// megrad native runtime: the built-in forward-mode vector scalar.
//
// Dual<N> carries a value and N tangent directions through every operation in one pass. It is
// megrad's own code (no licence condition on libraries built with it) and is forward-only.
#pragma once

#include "ops.hpp"
#include "scalar.hpp"

namespace megrad {

template<int N>
struct Dual {
    double v;
    double d[N];

    Dual() : v(0.0), d{} {}
    Dual(double value) : v(value), d{} {}  // NOLINT: implicit, like a passive constant

    Dual& operator=(double value) {
        v = value;
        for (int k = 0; k < N; k++) d[k] = 0.0;
        return *this;
    }
    Dual& operator+=(const Dual& b) { return *this = *this + b; }
    Dual& operator-=(const Dual& b) { return *this = *this - b; }
    Dual& operator*=(const Dual& b) { return *this = *this * b; }
    Dual& operator/=(const Dual& b) { return *this = *this / b; }

    friend Dual operator+(const Dual& a, const Dual& b) {
        Dual r(a.v + b.v);
        for (int k = 0; k < N; k++) r.d[k] = a.d[k] + b.d[k];
        return r;
    }
    friend Dual operator+(const Dual& a, double b) {
        Dual r = a;
        r.v = a.v + b;
        return r;
    }
    friend Dual operator+(double a, const Dual& b) {
        Dual r = b;
        r.v = a + b.v;
        return r;
    }
    friend Dual operator-(const Dual& a, const Dual& b) {
        Dual r(a.v - b.v);
        for (int k = 0; k < N; k++) r.d[k] = a.d[k] - b.d[k];
        return r;
    }
    friend Dual operator-(const Dual& a, double b) {
        Dual r = a;
        r.v = a.v - b;
        return r;
    }
    friend Dual operator-(double a, const Dual& b) {
        Dual r(a - b.v);
        for (int k = 0; k < N; k++) r.d[k] = -b.d[k];
        return r;
    }
    friend Dual operator-(const Dual& a) {
        Dual r(-a.v);
        for (int k = 0; k < N; k++) r.d[k] = -a.d[k];
        return r;
    }
    friend Dual operator*(const Dual& a, const Dual& b) {
        Dual r(a.v * b.v);
        for (int k = 0; k < N; k++) r.d[k] = b.v * a.d[k] + a.v * b.d[k];
        return r;
    }
    friend Dual operator*(const Dual& a, double b) {
        Dual r(a.v * b);
        for (int k = 0; k < N; k++) r.d[k] = b * a.d[k];
        return r;
    }
    friend Dual operator*(double a, const Dual& b) {
        Dual r(a * b.v);
        for (int k = 0; k < N; k++) r.d[k] = a * b.d[k];
        return r;
    }
    friend Dual operator/(const Dual& a, const Dual& b) {
        // d(a/b) = da / b - (a/b) db / b, as megrad's Java port differentiates a quotient.
        Dual r(a.v / b.v);
        double ia = 1.0 / b.v;
        double ib = -r.v / b.v;
        for (int k = 0; k < N; k++) r.d[k] = ia * a.d[k] + ib * b.d[k];
        return r;
    }
    friend Dual operator/(const Dual& a, double b) {
        Dual r(a.v / b);
        double ia = 1.0 / b;
        for (int k = 0; k < N; k++) r.d[k] = ia * a.d[k];
        return r;
    }
    friend Dual operator/(double a, const Dual& b) {
        Dual r(a / b.v);
        double ib = -r.v / b.v;
        for (int k = 0; k < N; k++) r.d[k] = ib * b.d[k];
        return r;
    }
};

template<int N>
inline double value(const Dual<N>& x) { return x.v; }

/** Applies a one-argument rule of ops.hpp: the value and the chain rule with the rule's partial. */
template<class Rule, int N>
inline Dual<N> apply1(const Dual<N>& x) {
    Dual<N> r(Rule::primal(x.v));
    double p = Rule::d(x.v, r.v);
    for (int k = 0; k < N; k++) r.d[k] = p * x.d[k];
    return r;
}

template<class Rule, int N>
inline Dual<N> apply2(const Dual<N>& x, const Dual<N>& y) {
    Dual<N> r(Rule::primal(x.v, y.v));
    double px = Rule::dx(x.v, y.v, r.v);
    double py = Rule::dy(x.v, y.v, r.v);
    for (int k = 0; k < N; k++) r.d[k] = px * x.d[k] + py * y.d[k];
    return r;
}
template<class Rule, int N>
inline Dual<N> apply2(const Dual<N>& x, double y) {
    Dual<N> r(Rule::primal(x.v, y));
    double px = Rule::dx(x.v, y, r.v);
    for (int k = 0; k < N; k++) r.d[k] = px * x.d[k];
    return r;
}
template<class Rule, int N>
inline Dual<N> apply2(double x, const Dual<N>& y) {
    Dual<N> r(Rule::primal(x, y.v));
    double py = Rule::dy(x, y.v, r.v);
    for (int k = 0; k < N; k++) r.d[k] = py * y.d[k];
    return r;
}

template<int N>
MEGRAD_INLINE void addTangents(double (&)[N]) {}

template<int N, class... R>
MEGRAD_INLINE void addTangents(double (&d)[N], double p, const Dual<N>& x, const R&... rest) {
    for (int k = 0; k < N; k++) d[k] += p * x.d[k];
    addTangents<N>(d, rest...);
}

template<int N, class... R>
MEGRAD_INLINE void addTangents(double (&d)[N], double, const double&, const R&... rest) {
    addTangents<N>(d, rest...);
}

/** A preaccumulated statement: the tangent is sum(partial * leaf tangent), one pass over the directions. */
template<int N, class... A>
MEGRAD_INLINE void push(Dual<N>& target, double value, const A&... args) {
    double d[N] = {};
    addTangents<N>(d, args...);
    target.v = value;
    for (int k = 0; k < N; k++) target.d[k] = d[k];
}

/** Forward-mode access for the driver: seed and read tangent k. */
template<int N>
struct ForwardAccess<Dual<N>> {
    static constexpr int width = N;
    static void set(Dual<N>& x, double v) { x = v; }
    static void seed(Dual<N>& x, int k, double t) { x.d[k] = t; }
    static double tangent(const Dual<N>& x, int k) { return x.d[k]; }
};

}  // namespace megrad
