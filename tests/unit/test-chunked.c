/* chunked_decode against RFC 9112 7.1, case by case: each coded body fed
 * at once and again one byte at a time (a decoder's state must carry
 * across any split), each at the very end of a page so that reading one
 * byte too far faults. The hostile cases are the classic ones of request
 * smuggling and of bodies that never end. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "chunked.h"
#include "guard.h"
#include "status.h"
#include "tap.h"

#define S(lit) lit, sizeof(lit) - 1

enum { MORE = -1 };  /* not done, no error: the body needs more bytes */

static const struct {
	const char *input;
	size_t len;
	int status;            /* 0 done, MORE, or 400 */
	const char *decoded;   /* when done */
	size_t used;           /* when done: where the body ended (0: all) */
	const char *name;
} cases[] = {
	/* Friendly. */
	{ S("5\r\nhello\r\n0\r\n\r\n"), 0, "hello", 0, "one chunk" },
	{ S("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), 0, "hello world", 0, "two chunks" },
	{ S("0\r\n\r\n"), 0, "", 0, "empty body" },
	{ S("a\r\n0123456789\r\n0\r\n\r\n"), 0, "0123456789", 0, "lower-case hex" },
	{ S("A\r\n0123456789\r\n0\r\n\r\n"), 0, "0123456789", 0, "upper-case hex" },
	{ S("005\r\nhello\r\n0\r\n\r\n"), 0, "hello", 0, "leading zeros" },
	{ S("5;name=value\r\nhello\r\n0;x\r\n\r\n"), 0, "hello", 0, "extensions ignored" },
	{ S("5 ;x\r\nhello\r\n0\r\n\r\n"), 0, "hello", 0, "blank before an extension" },
	{ S("5\r\nhello\r\n0\r\nX-Trailer: 1\r\nY: 2\r\n\r\n"), 0, "hello", 0,
	  "trailers dropped" },
	{ S("5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\n"), 0, "hello", 15,
	  "the body ends at its last CRLF, what follows is not read" },
	{ S("5\r\nhel\r\n\r\n0\r\n\r\n"), 0, "hel\r\n", 0, "CRLF inside data is data" },

	/* Not done yet. */
	{ S("5\r\nhel"), MORE, NULL, 0, "cut in the data" },
	{ S("5\r\nhello\r\n"), MORE, NULL, 0, "no last chunk yet" },
	{ S("5\r\nhello\r\n0\r\n"), MORE, NULL, 0, "no empty line after the last chunk" },
	{ S("5\r\nhello\r\n0\r\nX: 1\r\n"), MORE, NULL, 0, "a trailer that goes on" },

	/* Hostile. */
	{ S("0x5\r\nhello\r\n0\r\n\r\n"), 400, NULL, 0, "0x prefix" },
	{ S("-5\r\nhello\r\n0\r\n\r\n"), 400, NULL, 0, "a sign" },
	{ S("+5\r\nhello\r\n0\r\n\r\n"), 400, NULL, 0, "a plus sign" },
	{ S(" 5\r\nhello\r\n0\r\n\r\n"), 400, NULL, 0, "blank before the size" },
	{ S("\r\nhello\r\n0\r\n\r\n"), 400, NULL, 0, "empty size line" },
	{ S("g\r\n"), 400, NULL, 0, "not hex" },
	{ S("5g\r\nhello\r\n"), 400, NULL, 0, "hex then junk" },
	{ S("1000000000000000\r\n"), 400, NULL, 0, "size of 16 hex digits (overflow)" },
	{ S("ffffffffffffffffffff\r\n"), 400, NULL, 0, "size of 20 hex digits" },
	{ S("5\nhello\r\n0\r\n\r\n"), 400, NULL, 0, "size line ended by bare LF" },
	{ S("5\r\rhello\r\n0\r\n\r\n"), 400, NULL, 0, "size line CR CR" },
	{ S("5\r\nhelloX\r\n0\r\n\r\n"), 400, NULL, 0, "data longer than its size" },
	{ S("5\r\nhello\n0\r\n\r\n"), 400, NULL, 0, "data ended by bare LF" },
	{ S("5\r\nhello\rX0\r\n\r\n"), 400, NULL, 0, "data ended by CR and junk" },
	{ S("5;a\x01" "b\r\nhello\r\n0\r\n\r\n"), 400, NULL, 0, "control byte in an extension" },
	{ S("5;a\nb\r\nhello\r\n0\r\n\r\n"), 400, NULL, 0, "LF in an extension" },
	{ S("5\r\nhello\r\n0\r\nX: 1\n\r\n"), 400, NULL, 0, "trailer ended by bare LF" },
	{ S("5\r\nhello\r\n0\r\n\n"), 400, NULL, 0, "end of trailers by bare LF" },
	{ S("5\r\nhello\r\n0\r\nX: a\rb\r\n\r\n"), 400, NULL, 0, "lone CR in a trailer" },
	{ S("5\r\nhello\r\n0\r\nX: a\0b\r\n\r\n"), 400, NULL, 0, "NUL in a trailer" },
};

static bool same(const char *a, size_t an, const char *b)
{
	return an == strlen(b) && memcmp(a, b, an) == 0;
}

/* Feeds input in pieces of step bytes (0: all at once). */
static void check(size_t i, size_t step)
{
	const char *mode = step ? "byte by byte" : "at once";
	struct guarded g;
	char *buf = guard_copy(&g, cases[i].input, cases[i].len);
	static char out[1 << 16];
	if (buf == NULL) {
		tap_ok(0, "chunked %s: %s: mmap failed", mode, cases[i].name);
		return;
	}
	if (sigsetjmp(fault_env, 1)) {
		tap_ok(0, "chunked %s: %s: memory fault", mode, cases[i].name);
		guard_free(&g);
		return;
	}
	struct chunked c = { 0 };
	const char *why = NULL;
	size_t fed = 0, out_len = 0, consumed = 0;
	int status = 0;
	armed = 1;
	while (fed < cases[i].len && c.state != CHUNK_DONE && !status) {
		size_t n = step ? step : cases[i].len;
		if (n > cases[i].len - fed)
			n = cases[i].len - fed;
		size_t used, produced;
		status = chunked_decode(&c, buf + fed, n, out + out_len, &used,
					&produced, &why);
		out_len += produced;
		consumed += used;
		fed += n;
	}
	armed = 0;
	int got = status ? status : c.state == CHUNK_DONE ? 0 : MORE;
	bool ok = got == cases[i].status;
	if (ok && got == 0)
		ok = same(out, out_len, cases[i].decoded) &&
			consumed == (cases[i].used ? cases[i].used : cases[i].len);
	if (ok && got == 400)
		ok = why != NULL;
	if (!tap_ok(ok, "chunked %s: %s -> %d", mode, cases[i].name, cases[i].status))
		printf("# got %d (%s), %zu bytes out, %zu used\n", got,
		       why ? why : "-", out_len, consumed);
	guard_free(&g);
}

/* Bounds: a size line, and a trailer section, that never end. */
static void check_bounds(void)
{
	static char buf[CHUNK_TRAILER_MAX + 64], out[sizeof buf];
	struct chunked c = { 0 };
	const char *why = NULL;
	size_t used, produced;
	size_t n = (size_t)snprintf(buf, sizeof buf, "5;");
	memset(buf + n, 'x', CHUNK_LINE_MAX);
	tap_ok(chunked_decode(&c, buf, n + CHUNK_LINE_MAX, out, &used, &produced,
			      &why) == STATUS_BAD_REQUEST,
	       "chunked: an extension past %d bytes -> 400", CHUNK_LINE_MAX);
	memset(&c, 0, sizeof c);
	n = (size_t)snprintf(buf, sizeof buf, "0\r\n");
	for (; n + 8 < sizeof buf; n += 8)
		memcpy(buf + n, "X: 123\r\n", 8);
	tap_ok(chunked_decode(&c, buf, n, out, &used, &produced, &why) ==
	       STATUS_BAD_REQUEST,
	       "chunked: trailers past %d bytes -> 400", CHUNK_TRAILER_MAX);
}

int main(void)
{
	catch_faults();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		check(i, 0);
		check(i, 1);
	}
	check_bounds();
	return tap_done();
}
