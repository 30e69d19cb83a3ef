/*
 * megrad native runtime: the fixed C entry points of megrad's JNI library (built once by JavaCPP
 * with the bindings module). A process library's symbols are only known at run time, so this shim
 * dlopens it and calls its C ABI (abi.h) through function pointers; JavaCPP generates the JNI glue
 * for these few functions only.
 */
#ifndef MEGRAD_LOADER_H
#define MEGRAD_LOADER_H

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"

typedef struct mgl_library {
    void* dl;
    int (*abi_version)(void);
    const char* (*describe)(void);
    megrad_process* (*create)(void);
    void (*destroy)(megrad_process*);
    int (*set_inputs)(megrad_process*, const double*);
    int (*set_directions)(megrad_process*, int, const double*);
    int (*evaluate)(megrad_process*, int, const double*, double*, double*, int);
    const char* (*error)(const megrad_process*);
} mgl_library;

static inline char* mgl_open_error_buffer(void) {
    static __thread char buffer[1024];
    return buffer;
}

/** Loads a process library; NULL on failure (mgl_open_error says why). The library stays loaded. */
static inline void* mgl_open(const char* path) {
    char* err = mgl_open_error_buffer();
    err[0] = '\0';
    void* dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (dl == NULL) {
        snprintf(err, 1024, "cannot load %s: %s", path, dlerror());
        return NULL;
    }
    mgl_library* lib = (mgl_library*) calloc(1, sizeof(mgl_library));
    lib->dl = dl;
#define MGL_SYMBOL(field, name)                                                      \
    *(void**) (&lib->field) = dlsym(dl, name);                                       \
    if (lib->field == NULL) {                                                        \
        snprintf(err, 1024, "%s is not a megrad process library (no %s)", path, name); \
        free(lib);                                                                   \
        return NULL;                                                                 \
    }
    MGL_SYMBOL(abi_version, "megrad_abi_version")
    MGL_SYMBOL(describe, "megrad_describe")
    MGL_SYMBOL(create, "megrad_create")
    MGL_SYMBOL(destroy, "megrad_destroy")
    MGL_SYMBOL(set_inputs, "megrad_set_inputs")
    MGL_SYMBOL(set_directions, "megrad_set_directions")
    MGL_SYMBOL(evaluate, "megrad_evaluate")
    MGL_SYMBOL(error, "megrad_error")
#undef MGL_SYMBOL
    if (lib->abi_version() != MEGRAD_ABI_VERSION) {
        snprintf(err, 1024, "%s has C ABI version %d, this megrad expects %d", path, lib->abi_version(), MEGRAD_ABI_VERSION);
        free(lib);
        return NULL;
    }
    return lib;
}

static inline const char* mgl_open_error(void) { return mgl_open_error_buffer(); }

static inline const char* mgl_describe(void* lib) { return ((mgl_library*) lib)->describe(); }

static inline void* mgl_create(void* lib) { return ((mgl_library*) lib)->create(); }

static inline void mgl_destroy(void* lib, void* proc) { ((mgl_library*) lib)->destroy((megrad_process*) proc); }

static inline int mgl_set_inputs(void* lib, void* proc, const double* values) {
    return ((mgl_library*) lib)->set_inputs((megrad_process*) proc, values);
}

static inline int mgl_set_directions(void* lib, void* proc, int ndir, const double* seeds) {
    return ((mgl_library*) lib)->set_directions((megrad_process*) proc, ndir, seeds);
}

static inline int mgl_evaluate(void* lib, void* proc, int npoints, const double* momenta, double* me, double* grad,
                               int threads) {
    return ((mgl_library*) lib)->evaluate((megrad_process*) proc, npoints, momenta, me, grad, threads);
}

static inline const char* mgl_error(void* lib, void* proc) {
    return ((mgl_library*) lib)->error((const megrad_process*) proc);
}

#endif
