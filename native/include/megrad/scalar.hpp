// megrad native runtime: what generated code needs from any scalar type, for double.
//
// Generated code calls megrad::value(x) (the primal, for integer conversions and comparisons) and
// megrad::apply1/apply2<Rule>(...) through the functions in math.hpp. dual.hpp and codipack.hpp
// add the same for megrad::Dual<N> and for CoDiPack types.
#pragma once

#include "ops.hpp"

namespace megrad {

#ifndef MEGRAD_INLINE
#define MEGRAD_INLINE inline __attribute__((always_inline))
#endif

/** True for scalars that carry derivatives (everything but double). */
template<class S>
struct IsActive {
    static constexpr bool value = true;
};
template<>
struct IsActive<double> {
    static constexpr bool value = false;
};

inline double value(double x) { return x; }

/**
 * Stores a statement's value and, for active scalars, its derivative as sum(partial * leaf): generated
 * code calls push(target, value, partial0, leaf0, partial1, leaf1, ...) after preaccumulating the
 * statement (leaves of a passive type are skipped). Specialised in dual.hpp and codipack.hpp.
 */
template<class... A>
MEGRAD_INLINE void push(double& target, double value, const A&...) {
    target = value;
}

template<class Rule>
inline double apply1(double x) { return Rule::primal(x); }

template<class Rule>
inline double apply2(double x, double y) { return Rule::primal(x, y); }

/** Forward-mode driver access to a scalar's tangents; specialised per forward scalar. */
template<class S>
struct ForwardAccess;

}  // namespace megrad
