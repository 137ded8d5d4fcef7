/* Shared by the fuzz harnesses: an invariant check that names itself, a
 * tiny PRNG, and exact-size copies (so that AddressSanitizer sees a read
 * one byte past the input). Header-only. */
#ifndef CGIHANDLERD_FUZZ_H
#define CGIHANDLERD_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The check of a bug reported and still open can be put under
 * #ifndef FUZZ_LAX_<NAME>, and FUZZ_LAX defines them all, so that a long
 * run goes on past it (fuzz/long-run.sh builds with -DFUZZ_LAX). None is
 * open now: see fuzz/README.md. */
#ifdef FUZZ_LAX
/* #define FUZZ_LAX_<NAME> 1, one line for each open bug */
#endif

/* A broken invariant is a crash: libFuzzer saves the input as crash-*. */
#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__, \
			__LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} \
} while (0)

/* splitmix64: enough to pick split points from a seed. */
static inline uint64_t fuzz_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* FNV-1a of the input: a seed that changes whenever the input does. */
static inline uint64_t fuzz_hash(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3u;
	return h;
}

/* data[0..size) in a buffer of exactly size bytes (size 0: 1 byte). */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);
	if (p == NULL)
		abort();
	if (size)
		memcpy(p, data, size);
	return p;
}

/* data[0..size) as a C string: cut at the first NUL, NUL added, and
 * nothing allocated past it. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t n = nul ? (size_t)(nul - data) : size;
	char *p = malloc(n + 1);
	if (p == NULL)
		abort();
	memcpy(p, data, n);
	p[n] = '\0';
	return p;
}

static inline int fuzz_is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

#endif
