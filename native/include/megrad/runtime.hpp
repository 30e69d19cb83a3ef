// megrad native runtime: the one place where the AD scalar is chosen.
//
//   -DMEGRAD_AD=MEGRAD_AD_BUILTIN            megrad::Dual<MEGRAD_WIDTH>, forward vector mode (default)
//   -DMEGRAD_AD=MEGRAD_AD_CODIPACK_FORWARD   codi::RealForwardVec<MEGRAD_WIDTH>
//   -DMEGRAD_AD=MEGRAD_AD_CODIPACK_REVERSE   megrad::ReverseReal (codi::RealReverse with a thread_local tape)
//
// Generated code never names the scalar: it is a template over T and TP, instantiated by engines.hpp
// with megrad::Active.
#pragma once

#define MEGRAD_AD_BUILTIN 1
#define MEGRAD_AD_CODIPACK_FORWARD 2
#define MEGRAD_AD_CODIPACK_REVERSE 3

#ifndef MEGRAD_AD
#define MEGRAD_AD MEGRAD_AD_BUILTIN
#endif
#ifndef MEGRAD_WIDTH
#define MEGRAD_WIDTH 8
#endif

#include "scalar.hpp"
#include "dual.hpp"
#if MEGRAD_AD == MEGRAD_AD_CODIPACK_FORWARD || MEGRAD_AD == MEGRAD_AD_CODIPACK_REVERSE
#include "codipack.hpp"
#endif
#include "math.hpp"

namespace megrad {

#if MEGRAD_AD == MEGRAD_AD_BUILTIN
using Active = Dual<MEGRAD_WIDTH>;
constexpr bool kReverse = false;
constexpr const char* kScalarName = "builtin";
#elif MEGRAD_AD == MEGRAD_AD_CODIPACK_FORWARD
using Active = codi::RealForwardVec<MEGRAD_WIDTH>;
constexpr bool kReverse = false;
constexpr const char* kScalarName = "codipack";
#elif MEGRAD_AD == MEGRAD_AD_CODIPACK_REVERSE
using Active = ReverseReal;
constexpr bool kReverse = true;
constexpr const char* kScalarName = "codipack";
#else
#error "MEGRAD_AD must be MEGRAD_AD_BUILTIN, MEGRAD_AD_CODIPACK_FORWARD or MEGRAD_AD_CODIPACK_REVERSE"
#endif
constexpr int kWidth = kReverse ? 0 : MEGRAD_WIDTH;

}  // namespace megrad
