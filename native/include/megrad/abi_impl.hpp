// megrad native runtime: the C ABI (abi.h) over the engines of one generated process.
//
// Include once, after the generated process header, with MEGRAD_INFO naming its Info struct; the
// three engine factories are defined in their own translation units (engine_*.cpp).
#pragma once

#include <algorithm>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "abi.h"
#include "engines.hpp"

megrad::Engine* megrad_engine_primal();
megrad::Engine* megrad_engine_momenta();
megrad::Engine* megrad_engine_parameters();

struct megrad_process {
    std::vector<double> inputs;
    int ndir = 0;
    std::vector<double> seeds;
    bool paramsActive = false;
    bool ready = false;
    /** Engines of the current kind, one per worker thread, created on demand. */
    std::vector<std::unique_ptr<megrad::Engine>> engines;
    std::string error;
};

namespace megrad {

template<class Info>
struct Abi {
    static constexpr int stride = 4 * Info::externals + Info::inputs;

    static Engine* newEngine(const megrad_process& h) {
        if (h.ndir == 0) return megrad_engine_primal();
        return h.paramsActive ? megrad_engine_parameters() : megrad_engine_momenta();
    }

    static Engine& engine(megrad_process& h, int worker) {
        while (static_cast<int>(h.engines.size()) <= worker) {
            std::unique_ptr<Engine> e(newEngine(h));
            e->setInputs(h.inputs);
            e->setDirections(h.ndir, h.seeds);
            h.engines.push_back(std::move(e));
        }
        return *h.engines[worker];
    }

    template<class F>
    static int guard(megrad_process* h, F&& f) {
        if (h == nullptr) return 1;
        try {
            h->error.clear();
            f();
            return 0;
        } catch (const Stop& s) {
            h->error = std::string("the translated code executed STOP at ") + s.where;
        } catch (const std::exception& e) {
            h->error = e.what();
        } catch (...) {
            h->error = "unknown C++ exception";
        }
        return 2;
    }

    static std::string describe() {
        std::string s = "{\"name\":\"";
        s += Info::name;
        s += "\",\"externals\":" + std::to_string(Info::externals);
        s += ",\"initial\":" + std::to_string(Info::initial);
        s += ",\"inputs\":[";
        for (int i = 0; i < Info::inputs; i++) {
            s += (i ? ",\"" : "\"") + std::string(Info::inputName(i)) + "\"";
        }
        s += "],\"scalar\":\"";
        s += kScalarName;
        s += "\",\"mode\":\"";
        s += kReverse ? "reverse" : "forward";
        s += "\",\"width\":" + std::to_string(kWidth) + "}";
        return s;
    }
};

}  // namespace megrad

#define MEGRAD_DEFINE_ABI(INFO)                                                                              \
    extern "C" {                                                                                             \
    int megrad_abi_version(void) { return MEGRAD_ABI_VERSION; }                                              \
    const char* megrad_describe(void) {                                                                      \
        static const std::string d = megrad::Abi<INFO>::describe();                                          \
        return d.c_str();                                                                                    \
    }                                                                                                        \
    int megrad_externals(void) { return INFO::externals; }                                                   \
    int megrad_input_count(void) { return INFO::inputs; }                                                    \
    const char* megrad_input_name(int i) { return i >= 0 && i < INFO::inputs ? INFO::inputName(i) : ""; }    \
    megrad_process* megrad_create(void) { return new megrad_process(); }                                     \
    void megrad_destroy(megrad_process* h) { delete h; }                                                     \
    int megrad_set_inputs(megrad_process* h, const double* values) {                                         \
        return megrad::Abi<INFO>::guard(h, [&] {                                                             \
            h->inputs.assign(values, values + INFO::inputs);                                                 \
            for (auto& e : h->engines) e->setInputs(h->inputs);                                              \
        });                                                                                                  \
    }                                                                                                        \
    int megrad_set_directions(megrad_process* h, int ndir, const double* seeds) {                            \
        return megrad::Abi<INFO>::guard(h, [&] {                                                             \
            constexpr int stride = megrad::Abi<INFO>::stride;                                                \
            h->ndir = ndir;                                                                                  \
            h->seeds.assign(seeds, seeds + static_cast<long>(ndir) * stride);                                \
            bool params = false;                                                                             \
            for (int d = 0; d < ndir; d++)                                                                   \
                for (int i = 0; i < INFO::inputs; i++)                                                       \
                    params |= h->seeds[d * stride + 4 * INFO::externals + i] != 0.0;                         \
            h->paramsActive = params;                                                                        \
            h->engines.clear();                                                                              \
        });                                                                                                  \
    }                                                                                                        \
    int megrad_evaluate(megrad_process* h, int npoints, const double* momenta, double* me, double* grad,     \
                        int threads) {                                                                       \
        return megrad::Abi<INFO>::guard(h, [&] {                                                             \
            if (h->inputs.size() != static_cast<size_t>(INFO::inputs))                                      \
                throw std::runtime_error("megrad_set_inputs was not called");                                \
            int workers = std::max(1, std::min(threads, npoints));                                           \
            for (int w = 0; w < workers; w++) megrad::Abi<INFO>::engine(*h, w);                              \
            if (workers == 1) {                                                                              \
                h->engines[0]->evaluate(0, npoints, momenta, me, grad);                                      \
                return;                                                                                      \
            }                                                                                                \
            std::vector<std::thread> pool;                                                                   \
            std::vector<std::string> errors(workers);                                                        \
            for (int w = 0; w < workers; w++) {                                                              \
                int first = static_cast<int>(static_cast<long>(npoints) * w / workers);                      \
                int last = static_cast<int>(static_cast<long>(npoints) * (w + 1) / workers);                 \
                megrad::Engine* e = h->engines[w].get();                                                     \
                pool.emplace_back([=, &errors] {                                                             \
                    try {                                                                                    \
                        e->evaluate(first, last - first, momenta, me, grad);                                 \
                    } catch (const megrad::Stop& s) {                                                        \
                        errors[w] = std::string("the translated code executed STOP at ") + s.where;         \
                    } catch (const std::exception& ex) {                                                     \
                        errors[w] = ex.what();                                                               \
                    }                                                                                        \
                });                                                                                          \
            }                                                                                                \
            for (auto& t : pool) t.join();                                                                   \
            for (auto& m : errors)                                                                           \
                if (!m.empty()) throw std::runtime_error(m);                                                 \
        });                                                                                                  \
    }                                                                                                        \
    const char* megrad_error(const megrad_process* h) { return h ? h->error.c_str() : "null handle"; }     \
    }
