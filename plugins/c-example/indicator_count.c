/*
 * indicator_count: a jixiao scoring plugin written in plain C against jixiao_plugin.h, proving the
 * ABI is language-neutral. Check CE1 "指标数量充足" (2 points): a record with at least
 * params.min_indicators indicators (default 6) earns 2 points, otherwise 0 with evidence.
 *
 * Build: cc -shared -fPIC -I crates/plugin-api/include -o libindicator_count.so indicator_count.c
 * It reads the request JSON without a JSON library: it counts the "parsed" key (one per indicator)
 * and finds "min_indicators" — good enough for an example, not for production parsing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jixiao_plugin.h"

static const char MANIFEST[] =
    "{\"name\":\"indicator-count\",\"version\":\"1.0.0\",\"description\":\"C example\","
    "\"checks\":[{\"id\":\"CE1\",\"title\":\"指标数量充足\",\"max_points\":2,"
    "\"rule\":\"指标数不少于min_indicators（默认6）得2分\"}],"
    "\"params\":{\"min_indicators\":{\"type\":\"integer\",\"required\":false}},"
    "\"thread_safe\":true}";

static int32_t manifest(jixiao_sink_fn sink, void *ctx) {
    sink(ctx, (const uint8_t *)MANIFEST, strlen(MANIFEST));
    return JIXIAO_STATUS_OK;
}

/* Occurrences of needle in the first len bytes of hay (hay is not NUL-terminated). */
static size_t count(const char *hay, size_t len, const char *needle) {
    size_t n = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= len; i++) {
        if (memcmp(hay + i, needle, k) == 0) n++;
    }
    return n;
}

static long param_min(const char *req, size_t len) {
    const char *key = "\"min_indicators\":";
    size_t k = strlen(key);
    for (size_t i = 0; i + k < len; i++) {
        if (memcmp(req + i, key, k) == 0) {
            char digits[16] = {0};
            size_t j = 0;
            for (size_t p = i + k; p < len && j < sizeof digits - 1 && req[p] >= '0' && req[p] <= '9'; p++) {
                digits[j++] = req[p];
            }
            return j ? strtol(digits, NULL, 10) : 6;
        }
    }
    return 6;
}

static int32_t score(const uint8_t *request, size_t len, jixiao_sink_fn sink, void *ctx) {
    const char *req = (const char *)request;
    size_t n = count(req, len, "\"parsed\":");
    long min = param_min(req, len);
    char out[512];
    if ((long)n >= min) {
        snprintf(out, sizeof out, "[{\"id\":\"CE1\",\"points\":2,\"evidence\":[]}]");
    } else {
        snprintf(out, sizeof out,
                 "[{\"id\":\"CE1\",\"points\":0,\"evidence\":[{\"subject\":\"绩效指标\",\"text\":\"%zu\","
                 "\"reason\":\"只有%zu个指标，少于%ld个，请补充\",\"deduction\":2}]}]",
                 n, n, min);
    }
    sink(ctx, (const uint8_t *)out, strlen(out));
    return JIXIAO_STATUS_OK;
}

static const jixiao_plugin_table TABLE = {
    JIXIAO_ABI_VERSION, (uint32_t)sizeof(jixiao_plugin_table), manifest, score,
};

JIXIAO_EXPORT const jixiao_plugin_table *jixiao_plugin_v1(void) { return &TABLE; }
