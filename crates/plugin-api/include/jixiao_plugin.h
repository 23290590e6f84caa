/*
 * jixiao_plugin.h — the jixiao scoring-plugin C ABI, version 1.
 *
 * A plugin is a shared library exporting ONE symbol, jixiao_plugin_v1, that returns a pointer to a
 * static jixiao_plugin_table. The host reads abi_version and table_size first and refuses anything
 * but JIXIAO_ABI_VERSION. All data crosses as UTF-8 JSON bytes (see docs/plugins.md):
 *   manifest -> {"name","version","description","checks":[{"id","title","max_points","rule"}],
 *                "params":{"key":{"type","required","description"}},"thread_safe"}
 *   score    <- {"record":{...canonical record...},"params":{...},"year":2024}
 *            -> [{"id","points","evidence":[{"subject","text","line","reason","deduction"}]}]
 *
 * Memory: output is written through the host's sink (the host copies the bytes; the sink may be
 * called several times and appends). The plugin never hands memory to the host and never frees the
 * request, which is valid only during the call. Never let a C++ exception or longjmp cross a call.
 * Threads: if the manifest says "thread_safe": true, score may run on several threads at once.
 */
#ifndef JIXIAO_PLUGIN_H
#define JIXIAO_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define JIXIAO_ABI_VERSION 1u

/* JIXIAO_EXPORT marks the entry symbol as exported from the shared library: __declspec(dllexport)
 * on Windows (a DLL exports nothing by default), default visibility elsewhere (so it survives
 * -fvisibility=hidden). Write it on the definition: JIXIAO_EXPORT const jixiao_plugin_table *... */
#if defined(_WIN32) || defined(__CYGWIN__)
#define JIXIAO_EXPORT __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define JIXIAO_EXPORT __attribute__((visibility("default")))
#else
#define JIXIAO_EXPORT
#endif

/* Status codes returned by manifest and score. */
#define JIXIAO_STATUS_OK 0    /* the sink received the JSON answer */
#define JIXIAO_STATUS_ERROR 1 /* the sink received a UTF-8 error message */
#define JIXIAO_STATUS_PANIC 2 /* a crash was caught inside the plugin; the sink received a message */

/* Host-owned output sink: appends len bytes at data to the host buffer behind ctx. */
typedef void (*jixiao_sink_fn)(void *ctx, const uint8_t *data, size_t len);

typedef struct jixiao_plugin_table {
    uint32_t abi_version; /* JIXIAO_ABI_VERSION */
    uint32_t table_size;  /* sizeof(jixiao_plugin_table) */
    int32_t (*manifest)(jixiao_sink_fn sink, void *sink_ctx);
    int32_t (*score)(const uint8_t *request, size_t request_len, jixiao_sink_fn sink, void *sink_ctx);
} jixiao_plugin_table;

/* The entry symbol every ABI-v1 plugin exports. */
JIXIAO_EXPORT const jixiao_plugin_table *jixiao_plugin_v1(void);

#ifdef __cplusplus
}
#endif

#endif /* JIXIAO_PLUGIN_H */
