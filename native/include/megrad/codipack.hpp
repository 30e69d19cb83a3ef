// megrad native runtime: CoDiPack 3 as the scalar (forward vector or reverse mode).
//
// CoDiPack is GPL-3.0: a process library compiled with this header is covered by that licence when
// distributed. It is never bundled with megrad; it is found through --codipack DIR or CODIPACK_INCLUDE.
//
// Generated code preaccumulates every assignment (primal and partials over doubles, the partials
// from the rules of ops.hpp) and calls megrad::push: in forward mode the tangent is combined once per
// statement, in reverse mode one tape statement is stored with those Jacobians (what
// codi::StatementPushHelper does, with the tape looked up once per statement). Expressions outside
// assignments (e.g. call arguments) use the rules as CoDiPack operations (ComputeExpression with a
// Jacobian operation, the way CoDiPack defines its own sqrt or atan2).
//
// Thread safety: stock codi::RealReverse has one global tape per type. megrad's reverse scalar
// (ReverseReal) is a codi::ParallelActiveType whose tape pointer is a C++ thread_local, so each
// thread records and evaluates on its own tape; values recorded on one thread must not be used on
// another (the driver gives every worker thread its own process state).
#pragma once

#include <codi.hpp>
#include <codi/expressions/parallelActiveType.hpp>
#include <codi/tools/parallel/parallelToolbox.hpp>

#include <memory>
#include <string>

#include "scalar.hpp"

namespace megrad {

template<class Rule>
struct CodiRule1 {
    template<class Real>
    struct Op : public codi::UnaryJacobianOperation<Real, Op<Real>> {
        template<class Arg>
        static Real primal(Arg const& x) { return Rule::primal(x); }
        template<class Arg>
        static Real gradient(Arg const& x, Real const& r) { return Rule::d(x, r); }
        static std::string getMathRep() { return "megrad::rule"; }
    };
};

template<class Rule>
struct CodiRule2 {
    template<class Real>
    struct Op : public codi::BinaryJacobianOperation<Real, Op<Real>> {
        template<class A, class B>
        static Real primal(A const& x, B const& y) { return Rule::primal(x, y); }
        template<class A, class B>
        static Real gradientA(A const& x, B const& y, Real const& r) { return Rule::dx(x, y, r); }
        template<class A, class B>
        static Real gradientB(A const& x, B const& y, Real const& r) { return Rule::dy(x, y, r); }
        static std::string getMathRep() { return "megrad::rule"; }
    };
};

template<class Real, class Arg>
inline double value(codi::ExpressionInterface<Real, Arg> const& x) {
    return codi::RealTraits::getPassiveValue(x.cast().getValue());
}

template<class Rule, class Real, class Arg>
inline auto apply1(codi::ExpressionInterface<Real, Arg> const& x) {
    return codi::ComputeExpression<Real, CodiRule1<Rule>::template Op, Arg>(x);
}

template<class Rule, class Real, class A, class B>
inline auto apply2(codi::ExpressionInterface<Real, A> const& x, codi::ExpressionInterface<Real, B> const& y) {
    return codi::ComputeExpression<Real, CodiRule2<Rule>::template Op, A, B>(x, y);
}
template<class Rule, class Real, class A>
inline auto apply2(codi::ExpressionInterface<Real, A> const& x, double y) {
    using C = codi::ConstantExpression<codi::RealTraits::PassiveReal<Real>>;
    return codi::ComputeExpression<Real, CodiRule2<Rule>::template Op, A, C>(x, C(y));
}
template<class Rule, class Real, class B>
inline auto apply2(double x, codi::ExpressionInterface<Real, B> const& y) {
    using C = codi::ConstantExpression<codi::RealTraits::PassiveReal<Real>>;
    return codi::ComputeExpression<Real, CodiRule2<Rule>::template Op, C, B>(C(x), y);
}

template<size_t N>
MEGRAD_INLINE void addCodiTangents(double (&)[N]) {}

template<size_t N, class... R>
MEGRAD_INLINE void addCodiTangents(double (&d)[N], double p, const codi::RealForwardVec<N>& x, const R&... rest) {
    const auto& g = x.getGradient();
    for (size_t k = 0; k < N; k++) d[k] += p * g[k];
    addCodiTangents<N>(d, rest...);
}

template<size_t N, class... R>
MEGRAD_INLINE void addCodiTangents(double (&d)[N], double, const double&, const R&... rest) {
    addCodiTangents<N>(d, rest...);
}

/** Forward vector mode: the tangent of a preaccumulated statement in one pass over the directions. */
template<size_t N, class... A>
MEGRAD_INLINE void push(codi::RealForwardVec<N>& target, double value, const A&... args) {
    double d[N] = {};
    addCodiTangents<N>(d, args...);
    target.value() = value;
    auto& g = target.gradient();
    for (size_t k = 0; k < N; k++) g[k] = d[k];
}

/** Forward vector mode: codi::RealForwardVec<N>. */
template<size_t N>
struct ForwardAccess<codi::RealForwardVec<N>> {
    static constexpr int width = static_cast<int>(N);
    static void set(codi::RealForwardVec<N>& x, double v) { x = v; }
    static void seed(codi::RealForwardVec<N>& x, int k, double t) { x.gradient()[k] = t; }
    static double tangent(const codi::RealForwardVec<N>& x, int k) { return x.getGradient()[k]; }
};

// ---------------------------------------------------------------- reverse mode with one tape per thread

template<class T>
struct NoAtomic {};

/**
 * CoDiPack's static thread-local pointer, implemented with C++ thread_local (no OpenMP needed). The
 * pointer is constant-initialised (no guard on the hot path); each thread's tape is created on first
 * use and freed when the thread exits.
 */
template<class Type, class Owner>
struct ThreadLocalTapePointer
    : public codi::StaticThreadLocalPointerInterface<Type, Owner, ThreadLocalTapePointer<Type, Owner>> {
    static Type*& current() {
        // initial-exec: a plain %fs-relative load instead of a __tls_get_addr call per access from a
        // dlopened library; the 8 bytes come from glibc's static TLS reserve for such libraries.
        static thread_local Type* pointer __attribute__((tls_model("initial-exec"))) = nullptr;
        return pointer;
    }
    static Type* create() {
        static thread_local std::unique_ptr<Type> owner;
        owner.reset(new Type());
        current() = owner.get();
        return current();
    }
    static void set(Type* other) { current() = other; }
    static Type* get() {
        Type* t = current();
        return t != nullptr ? t : create();
    }
};

using ThreadLocalToolbox = codi::ParallelToolbox<codi::DefaultThreadInformation, NoAtomic, NoAtomic,
                                                 codi::MutexInterface, ThreadLocalTapePointer,
                                                 codi::DefaultSynchronization>;

using ReverseTape = codi::JacobianLinearTape<
    codi::JacobianTapeTypes<double, double, codi::LinearIndexManager<int>, codi::DefaultChunkedData>>;

/** codi::RealReverse with a thread_local tape. */
using ReverseReal = codi::ParallelActiveType<ReverseTape, ThreadLocalToolbox>;

template<int M>
MEGRAD_INLINE void collectJacobians(double*, int*, int&) {}

template<int M, class... R>
MEGRAD_INLINE void collectJacobians(double* jac, int* id, int& n, double p, const ReverseReal& x, const R&... rest) {
    int identifier = x.getIdentifier();
    if (identifier != 0 && p != 0.0) {
        jac[n] = p;
        id[n] = identifier;
        n++;
    }
    collectJacobians<M>(jac, id, n, rest...);
}

template<int M, class... R>
MEGRAD_INLINE void collectJacobians(double* jac, int* id, int& n, double, const double&, const R&... rest) {
    collectJacobians<M>(jac, id, n, rest...);
}

/**
 * A preaccumulated statement on this thread's tape: one statement with the given Jacobians (what
 * codi::StatementPushHelper does, with the tape looked up once per statement, not per argument).
 * A statement without active arguments makes the target passive.
 */
template<class... A>
MEGRAD_INLINE void push(ReverseReal& target, double value, const A&... args) {
    constexpr int M = sizeof...(A) / 2 > 0 ? sizeof...(A) / 2 : 1;
    ReverseTape& tape = ReverseReal::getTape();
    double jac[M];
    int id[M];
    int n = 0;
    if (tape.isActive()) {
        collectJacobians<M>(jac, id, n, args...);
    }
    if (n == 0) {
        target = value;
        return;
    }
    if (n == 1 && jac[0] == 1.0) {
        // A copy: with linear indices the target may share the argument's identifier (CoDiPack's copyIndex).
        target.value() = value;
        target.getIdentifier() = id[0];
        return;
    }
    tape.storeManual(value, target.getTapeData(), static_cast<codi::Config::ArgumentSize>(n));
    for (int i = 0; i < n; i++) {
        tape.pushJacobianManual(jac[i], 0.0, id[i]);
    }
    target.value() = value;
}

}  // namespace megrad
