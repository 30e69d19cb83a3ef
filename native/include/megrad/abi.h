/*
 * megrad native runtime: the C ABI of a process library.
 *
 * A process library (built by `megrad native`) evaluates one MadGraph subprocess. Its state lives in
 * an opaque megrad_process; one JNI (or ctypes, or C) crossing evaluates a whole batch of points.
 *
 *   megrad_process* h = megrad_create();
 *   megrad_set_inputs(h, values);                  // param-card inputs, in megrad_input_name order
 *   megrad_set_directions(h, ndir, seeds);         // ndir rows of 4*externals + inputs numbers
 *   megrad_evaluate(h, npoints, momenta, me, grad, threads);
 *
 * Layouts: momenta[(point * externals + particle) * 4 + mu] (MadGraph's order, mu = E, px, py, pz);
 * seeds[dir * (4 * externals + inputs) + j]: derivative direction dir as a vector over the momentum
 * components (j < 4 * externals, same order as one point's momenta) and the inputs (j = 4 * externals + i);
 * me[point]; grad[point * ndir + dir] = d|M|^2 along seed row dir.
 *
 * Functions returning int return 0 on success; otherwise megrad_error(h) says why. A handle is used
 * by one caller thread at a time; evaluate may itself use `threads` worker threads (each with its own
 * copy of the process state and, in reverse mode, its own tape).
 */
#ifndef MEGRAD_ABI_H
#define MEGRAD_ABI_H

#define MEGRAD_ABI_VERSION 1

#if defined(__GNUC__)
#define MEGRAD_API __attribute__((visibility("default")))
#else
#define MEGRAD_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct megrad_process megrad_process;

MEGRAD_API int megrad_abi_version(void);
/** One line of JSON: name, externals, initial, inputs (names), scalar, mode, width. */
MEGRAD_API const char* megrad_describe(void);
MEGRAD_API int megrad_externals(void);
MEGRAD_API int megrad_input_count(void);
MEGRAD_API const char* megrad_input_name(int i);

MEGRAD_API megrad_process* megrad_create(void);
MEGRAD_API void megrad_destroy(megrad_process* h);
MEGRAD_API int megrad_set_inputs(megrad_process* h, const double* values);
MEGRAD_API int megrad_set_directions(megrad_process* h, int ndir, const double* seeds);
MEGRAD_API int megrad_evaluate(megrad_process* h, int npoints, const double* momenta, double* me, double* grad, int threads);
MEGRAD_API const char* megrad_error(const megrad_process* h);

#ifdef __cplusplus
}
#endif

#endif
