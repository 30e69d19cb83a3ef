// megrad native runtime: engines that drive a generated process template for one scalar choice.
//
// Process<T, TP> is the generated code (T: values depending on the momenta, TP: values depending only
// on the param-card inputs). An engine owns process state for one thread and evaluates ranges of a
// batch. Three instantiations exist per library: primal (double, double), momenta-only
// (Active, double: parameters and couplings stay passive and setup runs once in double), and
// parameters (Active, Active: the setup itself is differentiated).
#pragma once

#include <memory>
#include <type_traits>
#include <vector>

#include "runtime.hpp"

namespace megrad {

struct Engine {
    virtual ~Engine() = default;
    virtual void setInputs(const std::vector<double>& values) = 0;
    /** seeds: ndir rows of (4 * externals + inputs). */
    virtual void setDirections(int ndir, const std::vector<double>& seeds) = 0;
    /** Points [first, first + count) of the batch; grad rows have ndir entries. */
    virtual void evaluate(int first, int count, const double* momenta, double* me, double* grad) = 0;
};

template<template<class, class> class Process, class Info>
class PrimalEngine final : public Engine {
    std::unique_ptr<Process<double, double>> proc_ = std::make_unique<Process<double, double>>();

public:
    void setInputs(const std::vector<double>& values) override {
        for (int i = 0; i < Info::inputs; i++) proc_->mg_inputs[i] = values[i];
        proc_->setup();
    }
    void setDirections(int, const std::vector<double>&) override {}
    void evaluate(int first, int count, const double* momenta, double* me, double*) override {
        constexpr int n = 4 * Info::externals;
        double p[n];
        for (int pt = first; pt < first + count; pt++) {
            for (int j = 0; j < n; j++) p[j] = momenta[pt * n + j];
            double ans = 0.0;
            proc_->point(p, &ans);
            me[pt] = ans;
        }
    }
};

/** Forward vector mode: ceil(ndir / width) passes per point, each carrying `width` directions. */
template<template<class, class> class Process, class Info, class AD, bool ParamsActive>
class ForwardEngine final : public Engine {
    using TP = std::conditional_t<ParamsActive, AD, double>;
    using Access = ForwardAccess<AD>;
    static constexpr int W = Access::width;
    static constexpr int n = 4 * Info::externals;
    static constexpr int stride = n + Info::inputs;
    // With active parameters each pass has its own setup (its own input tangents); otherwise one state serves all.
    std::vector<std::unique_ptr<Process<AD, TP>>> procs_;
    std::vector<double> inputs_;
    std::vector<double> seeds_;
    int ndir_ = 0;
    bool haveInputs_ = false;

    int passes() const { return (ndir_ + W - 1) / W; }

    void configure() {
        if (!haveInputs_) return;
        int count = ParamsActive ? passes() : 1;
        while (static_cast<int>(procs_.size()) < count) procs_.push_back(std::make_unique<Process<AD, TP>>());
        for (int c = 0; c < count; c++) {
            Process<AD, TP>& proc = *procs_[c];
            for (int i = 0; i < Info::inputs; i++) {
                if constexpr (ParamsActive) {
                    Access::set(proc.mg_inputs[i], inputs_[i]);
                    for (int k = 0; k < W; k++) {
                        int dir = c * W + k;
                        Access::seed(proc.mg_inputs[i], k, dir < ndir_ ? seeds_[dir * stride + n + i] : 0.0);
                    }
                } else {
                    proc.mg_inputs[i] = inputs_[i];
                }
            }
            proc.setup();
        }
    }

public:
    void setInputs(const std::vector<double>& values) override {
        inputs_ = values;
        haveInputs_ = true;
        configure();
    }
    void setDirections(int ndir, const std::vector<double>& seeds) override {
        ndir_ = ndir;
        seeds_ = seeds;
        configure();
    }
    void evaluate(int first, int count, const double* momenta, double* me, double* grad) override {
        AD p[n];
        for (int pt = first; pt < first + count; pt++) {
            for (int c = 0; c < passes(); c++) {
                Process<AD, TP>& proc = *procs_[ParamsActive ? c : 0];
                for (int j = 0; j < n; j++) {
                    Access::set(p[j], momenta[pt * n + j]);
                    for (int k = 0; k < W; k++) {
                        int dir = c * W + k;
                        Access::seed(p[j], k, dir < ndir_ ? seeds_[dir * stride + j] : 0.0);
                    }
                }
                AD ans = 0.0;
                proc.point(p, &ans);
                me[pt] = value(ans);
                for (int k = 0; k < W && c * W + k < ndir_; k++) {
                    grad[pt * ndir_ + c * W + k] = Access::tangent(ans, k);
                }
            }
        }
    }
};

#if MEGRAD_AD == MEGRAD_AD_CODIPACK_REVERSE
/**
 * Reverse mode: per point one recording and one backward sweep give the derivative w.r.t. every
 * momentum component and input; the seed rows then combine them. With active parameters the setup
 * is recorded once per batch at the start of this thread's tape and every point rewinds to after it.
 */
template<template<class, class> class Process, class Info, bool ParamsActive>
class ReverseEngine final : public Engine {
    using AD = ReverseReal;
    using TP = std::conditional_t<ParamsActive, AD, double>;
    static constexpr int n = 4 * Info::externals;
    static constexpr int stride = n + Info::inputs;
    std::unique_ptr<Process<AD, TP>> proc_ = std::make_unique<Process<AD, TP>>();
    std::vector<double> inputs_;
    std::vector<double> seeds_;
    int ndir_ = 0;

public:
    void setInputs(const std::vector<double>& values) override {
        inputs_ = values;
        if constexpr (!ParamsActive) {
            for (int i = 0; i < Info::inputs; i++) proc_->mg_inputs[i] = values[i];
            proc_->setup();
        }
    }
    void setDirections(int ndir, const std::vector<double>& seeds) override {
        ndir_ = ndir;
        seeds_ = seeds;
    }
    void evaluate(int first, int count, const double* momenta, double* me, double* grad) override {
        typename AD::Tape& tape = AD::getTape();
        tape.reset();
        tape.setActive();
        if constexpr (ParamsActive) {
            for (int i = 0; i < Info::inputs; i++) {
                proc_->mg_inputs[i] = inputs_[i];
                tape.registerInput(proc_->mg_inputs[i]);
            }
            proc_->setup();
        }
        auto start = tape.getPosition();
        AD p[n];
        double bar[stride];
        for (int pt = first; pt < first + count; pt++) {
            for (int j = 0; j < n; j++) {
                p[j] = momenta[pt * n + j];
                tape.registerInput(p[j]);
            }
            AD ans = 0.0;
            proc_->point(p, &ans);
            tape.registerOutput(ans);
            tape.setPassive();
            ans.gradient() = 1.0;
            tape.evaluate();
            for (int j = 0; j < n; j++) bar[j] = p[j].getGradient();
            for (int i = 0; i < Info::inputs; i++) {
                if constexpr (ParamsActive) {
                    bar[n + i] = proc_->mg_inputs[i].getGradient();
                } else {
                    bar[n + i] = 0.0;
                }
            }
            me[pt] = ans.getValue();
            for (int d = 0; d < ndir_; d++) {
                double s = 0.0;
                for (int j = 0; j < stride; j++) s += seeds_[d * stride + j] * bar[j];
                grad[pt * ndir_ + d] = s;
            }
            tape.clearAdjoints();
            tape.resetTo(start);
            tape.setActive();
        }
        tape.setPassive();
        tape.reset();
    }
};
#endif

/** The engine kinds a library instantiates, each in its own translation unit (compiled in parallel). */
enum class EngineKind { Primal, Momenta, Parameters };

template<template<class, class> class Process, class Info, EngineKind Kind>
Engine* makeEngine() {
    if constexpr (Kind == EngineKind::Primal) {
        return new PrimalEngine<Process, Info>();
    } else {
        constexpr bool params = Kind == EngineKind::Parameters;
#if MEGRAD_AD == MEGRAD_AD_CODIPACK_REVERSE
        return new ReverseEngine<Process, Info, params>();
#else
        return new ForwardEngine<Process, Info, Active, params>();
#endif
    }
}

}  // namespace megrad
