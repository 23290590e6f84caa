/*
 * faulty: a deliberately broken plugin for the host's fault tests. NOT for use. Compiled once per
 * fault with -DFAULT=<n>:
 *   1 bad JSON answer          2 points above max        3 caught crash (status PANIC)
 *   4 plugin-reported error    5 wrong abi_version field 6 entry symbol of ABI v2 only
 *   7 no entry symbol at all   8 unknown check id        0 behaves (for the pin tests)
 * and faults only process isolation survives:
 *   9 segfault                10 abort()                11 exit(0)
 *  12 endless loop            13 printf to stdout, then behaves
 *  14 segfault on records whose request mentions 扶贫, behaves on the others
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jixiao_plugin.h"

#ifndef FAULT
#define FAULT 0
#endif

static const char MANIFEST[] =
    "{\"name\":\"faulty\",\"version\":\"0\",\"checks\":[{\"id\":\"F1\",\"title\":\"故障\",\"max_points\":3}],"
    "\"thread_safe\":false}";

static void put(jixiao_sink_fn sink, void *ctx, const char *s) { sink(ctx, (const uint8_t *)s, strlen(s)); }

static int32_t manifest(jixiao_sink_fn sink, void *ctx) {
    put(sink, ctx, MANIFEST);
    return JIXIAO_STATUS_OK;
}

static int mentions(const uint8_t *hay, size_t len, const char *needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++) {
        if (memcmp(hay + i, needle, n) == 0) return 1;
    }
    return 0;
}

static void crash(void) {
    volatile int *volatile nowhere = NULL;
    *nowhere = 1;
}

static int32_t score(const uint8_t *request, size_t len, jixiao_sink_fn sink, void *ctx) {
    volatile int spin = 1;
    switch (FAULT) {
    case 9: crash(); break;
    case 10: abort();
    case 11: exit(0);
    case 12: while (spin) {} break;
    case 13: printf("noise the plugin prints on stdout\n"); fflush(stdout); break;
    case 14: if (mentions(request, len, "扶贫")) crash(); break;
    default: break;
    }
    switch (FAULT) {
    case 1: put(sink, ctx, "[{\"id\":\"F1\",\"points\":"); return JIXIAO_STATUS_OK;
    case 2: put(sink, ctx, "[{\"id\":\"F1\",\"points\":7}]"); return JIXIAO_STATUS_OK;
    case 3: put(sink, ctx, "simulated crash in faulty.c"); return JIXIAO_STATUS_PANIC;
    case 4: put(sink, ctx, "cannot score this record"); return JIXIAO_STATUS_ERROR;
    case 8: put(sink, ctx, "[{\"id\":\"ZZ\",\"points\":1}]"); return JIXIAO_STATUS_OK;
    default: put(sink, ctx, "[{\"id\":\"F1\",\"points\":3}]"); return JIXIAO_STATUS_OK;
    }
}

static const jixiao_plugin_table TABLE = {
    FAULT == 5 ? 2u : JIXIAO_ABI_VERSION, (uint32_t)sizeof(jixiao_plugin_table), manifest, score,
};

#if FAULT == 6
JIXIAO_EXPORT const jixiao_plugin_table *jixiao_plugin_v2(void) { return &TABLE; }
#elif FAULT == 7
const jixiao_plugin_table *some_other_symbol(void) { return &TABLE; }
#else
JIXIAO_EXPORT const jixiao_plugin_table *jixiao_plugin_v1(void) { return &TABLE; }
#endif
