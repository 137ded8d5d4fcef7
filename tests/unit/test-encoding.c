/* encoding_parse and encoding_choose against RFC 9110 12.5.3: which of the
 * variants found (br, zstd, gzip) a given Accept-Encoding gets, q-values,
 * "*", identity;q=0, and malformed elements ignored. Inputs end at the
 * very end of a page; a fault is a failed case. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "encoding.h"
#include "guard.h"
#include "tap.h"

#define BR (1u << CODING_BR)
#define ZS (1u << CODING_ZSTD)
#define GZ (1u << CODING_GZIP)
#define ALL (BR | ZS | GZ)
#define ID CODING_IDENTITY

static const struct {
	const char *accept;   /* NULL: no header */
	unsigned available;
	int chosen;
	const char *name;
} cases[] = {
	/* Friendly. */
	{ "gzip", ALL, CODING_GZIP, "gzip only" },
	{ "br", ALL, CODING_BR, "br only" },
	{ "zstd", ALL, CODING_ZSTD, "zstd only" },
	{ "gzip, deflate, br, zstd", ALL, CODING_BR, "Chromium's: br first" },
	{ "gzip, deflate, br, zstd", GZ | ZS, CODING_ZSTD, "no br: zstd" },
	{ "gzip, deflate, br, zstd", GZ, CODING_GZIP, "only .gz on disk" },
	{ "gzip, deflate", ALL, CODING_GZIP, "curl --compressed, older" },
	{ "gzip, deflate, br", 0, ID, "no variant on disk" },
	{ NULL, ALL, ID, "no header: identity" },
	{ "", ALL, ID, "empty header: identity" },
	{ "identity", ALL, ID, "identity only" },
	{ "GZIP", ALL, CODING_GZIP, "upper case" },
	{ "x-gzip", ALL, CODING_GZIP, "x-gzip is gzip" },

	/* Weights. */
	{ "gzip;q=1.0, br;q=0.5", ALL, CODING_GZIP, "higher q wins over preference" },
	{ "gzip;q=0.5, br;q=0.5", ALL, CODING_BR, "equal q: server preference" },
	{ "br;q=0, gzip", ALL, CODING_GZIP, "br;q=0 excluded" },
	{ "br;q=0, gzip;q=0", ALL, ID, "all excluded: identity" },
	{ "gzip ; q=0.8", ALL, CODING_GZIP, "spaces around ';'" },
	{ "gzip;Q=0.8", ALL, CODING_GZIP, "Q upper case" },
	{ "gzip;q=0.001", ALL, CODING_GZIP, "smallest weight still acceptable" },
	{ "gzip;q=0.000", ALL, ID, "q=0.000 excludes" },
	{ "gzip;q=0.5, identity;q=0.9", ALL, ID, "identity weighed higher" },
	{ "gzip;q=0.9, identity;q=0.9", ALL, CODING_GZIP, "identity tie: coding" },
	{ "gzip, identity;q=0", ALL, CODING_GZIP, "identity;q=0, gzip there" },
	{ "gzip, identity;q=0", 0, ID, "identity;q=0, nothing there: identity anyway" },
	{ "*", ALL, CODING_BR, "*: any coding" },
	{ "*;q=0", ALL, ID, "*;q=0: none" },
	{ "*;q=0, gzip", ALL, CODING_GZIP, "*;q=0 but gzip named" },
	{ "br;q=0, *", ALL, CODING_ZSTD, "* but br excluded" },
	{ "*;q=0.2, gzip;q=0.5", ALL, CODING_GZIP, "named beats *" },
	{ "gzip;q=0, gzip", ALL, ID, "first mention counts" },
	{ "gzip, gzip;q=0", ALL, CODING_GZIP, "first mention counts, other way" },

	/* Hostile or malformed: the element is ignored. */
	{ "gzip;q=2", ALL, ID, "q above 1" },
	{ "gzip;q=1.5", ALL, ID, "q 1.5" },
	{ "gzip;q=1.0001", ALL, ID, "four decimals" },
	{ "gzip;q=0.5000", ALL, ID, "four decimals under 1" },
	{ "gzip;q=-1", ALL, ID, "negative q" },
	{ "gzip;q=", ALL, ID, "empty q" },
	{ "gzip;q=.5", ALL, ID, "no leading digit" },
	{ "gzip;q=0.5x", ALL, ID, "junk after q" },
	{ "gzip;level=9", ALL, ID, "another parameter" },
	{ "gzip;", ALL, ID, "lone ';'" },
	{ "gzip;q=0.5;q=1", ALL, ID, "two q" },
	{ "gzip br", ALL, ID, "no comma" },
	{ "gzipx", ALL, ID, "longer name" },
	{ "gzi", ALL, ID, "shorter name" },
	{ "gz", ALL, ID, "the suffix is not the coding" },
	{ "zst", ALL, ID, "zst is not zstd" },
	{ "\"gzip\"", ALL, ID, "quoted" },
	{ "g\x01zip", ALL, ID, "control character" },
	{ "gzip\xff", ALL, ID, "high byte" },
	{ ",,,", ALL, ID, "only commas" },
	{ ", ,gzip", ALL, CODING_GZIP, "empty elements before" },
	{ "gzip;q=2, br", ALL, CODING_BR, "a bad element does not spoil the rest" },
	{ "identity;q=x, gzip", ALL, CODING_GZIP, "malformed identity ignored" },
};

static void check(size_t i)
{
	struct guarded g = { 0 };
	const char *volatile accept = NULL;
	if (cases[i].accept)
		accept = guard_copy(&g, cases[i].accept, strlen(cases[i].accept) + 1);
	volatile int got = -9;
	int sig = sigsetjmp(fault_env, 1);
	if (sig == 0) {
		armed = 1;
		struct accept_encoding ae;
		encoding_parse(accept, &ae);
		got = encoding_choose(&ae, cases[i].available);
		armed = 0;
	}
	if (!tap_ok(sig == 0 && got == cases[i].chosen, "%s", cases[i].name))
		printf("# got %d%s, want %d\n", got, sig ? " (fault)" : "",
		       cases[i].chosen);
	if (cases[i].accept)
		guard_free(&g);
}

int main(void)
{
	catch_faults();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check(i);
	return tap_done();
}
