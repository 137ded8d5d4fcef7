/* url_decode, url_canonical_path, url_join and url_encode_path against
 * their contract: Python's unquote for stray '%', translate_path's
 * collapsing with ".." held at the root, refusal of decoded NUL and
 * controls, and quote(safe='/'). Inputs end at the very end of a page and
 * output buffers of exactly 'cap' bytes do too, so that reading or writing
 * one byte too far faults; a fault is reported as a failed case. */
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "bounds.h"
#include "status.h"
#include "tap.h"
#include "url.h"

#define S(lit) lit, sizeof(lit) - 1
#define FAIL ((size_t)-1)

/* An output buffer of exactly cap writable bytes, ending at a page end
 * (cap 0: the pointer is the unmapped page itself). */
static char *guard_out(struct guarded *g, size_t cap)
{
	static char fill[4096];
	memset(fill, '#', sizeof fill);
	return cap <= sizeof fill ? guard_copy(g, fill, cap) : NULL;
}

/* ------------------------------------------------------------------ */
/* url_decode */

static const struct {
	const char *input;
	size_t len;
	size_t cap;
	const char *expected; /* NULL when it must not fit */
	size_t expected_len;
	const char *name;
} decode_cases[] = {
	/* Friendly. */
	{ S("abc"), 16, S("abc"), "plain" },
	{ S("%41"), 16, S("A"), "%41" },
	{ S("%4a%4A"), 16, S("JJ"), "lower and upper hex" },
	{ S("/a%20b/"), 16, S("/a b/"), "space" },
	{ S("caf%C3%A9"), 16, S("caf\xc3\xa9"), "UTF-8 bytes" },

	/* Stray '%', kept as Python's unquote keeps it. */
	{ S("%"), 16, S("%"), "lone %" },
	{ S("a%"), 16, S("a%"), "% at the end" },
	{ S("%4"), 16, S("%4"), "% and one digit at the end" },
	{ S("%zz"), 16, S("%zz"), "% and non-hex" },
	{ S("%4g"), 16, S("%4g"), "second digit not hex" },
	{ S("%g4"), 16, S("%g4"), "first digit not hex" },
	{ S("%%41"), 16, S("%A"), "%% then an escape" },
	{ S("%%%"), 16, S("%%%"), "three %" },
	{ S("% 41"), 16, S("% 41"), "space after %" },
	{ S("%-1"), 16, S("%-1"), "sign after %" },
	{ S("%+f"), 16, S("%+f"), "plus after %" },
	{ S("%0x41"), 16, S("%0x41"), "0x after %" },
	{ S("%\0" "41"), 16, S("%\0" "41"), "NUL after %" },
	{ S("+"), 16, S("+"), "plus is not a space" },

	/* Hostile decodings. */
	{ S("%00"), 16, S("\0"), "%00 decodes to NUL" },
	{ S("a%00b"), 16, S("a\0b"), "NUL in the middle" },
	{ S("%2f"), 16, S("/"), "%2f" },
	{ S("%2F"), 16, S("/"), "%2F" },
	{ S("%2e%2e"), 16, S(".."), "%2e%2e" },
	{ S("%252e"), 16, S("%2e"), "decoded once only" },
	{ S("%ff%FF"), 16, S("\xff\xff"), "0xff" },
	{ S("%0a%0d"), 16, S("\n\r"), "LF and CR" },
	{ S("a\0b"), 16, S("a\0b"), "raw NUL passes through" },

	/* Capacity. */
	{ S("abc"), 4, S("abc"), "exact fit" },
	{ S("abc"), 3, NULL, 0, "one byte short" },
	{ S("%41%42"), 3, S("AB"), "escapes: exact fit" },
	{ S("%41%42"), 2, NULL, 0, "escapes: one byte short" },
	{ S("%41"), 2, S("A"), "escape into 2 bytes" },
	{ S("%41"), 1, NULL, 0, "escape into 1 byte" },
	{ S("%"), 2, S("%"), "lone % into 2 bytes" },
	{ S("%4"), 2, NULL, 0, "stray %4 into 2 bytes" },
	{ S(""), 1, S(""), "empty into 1 byte" },
	{ S(""), 0, NULL, 0, "empty into 0 bytes" },
	{ S("a"), 0, NULL, 0, "one byte into 0 bytes" },
};

static void check_decode(size_t i)
{
	struct guarded in, out;
	const char *src = guard_copy(&in, decode_cases[i].input,
				     decode_cases[i].len);
	char *dst = guard_out(&out, decode_cases[i].cap);
	const char *name = decode_cases[i].name;
	size_t got;

	if (src == NULL || dst == NULL) {
		tap_ok(0, "url_decode: %s: mmap failed", name);
		return;
	}
	if (sigsetjmp(fault_env, 1)) {
		tap_ok(0, "url_decode: %s: memory fault past a buffer", name);
		goto done;
	}
	armed = 1;
	got = url_decode(dst, decode_cases[i].cap, src, decode_cases[i].len);
	armed = 0;

	bool ok;
	if (decode_cases[i].expected == NULL)
		ok = got == FAIL;
	else
		ok = got == decode_cases[i].expected_len &&
		     memcmp(dst, decode_cases[i].expected, got) == 0 &&
		     dst[got] == '\0';
	if (!tap_ok(ok, "url_decode: %s", name)) {
		printf("# got %zd", (ssize_t)got);
		if (got != FAIL && got < decode_cases[i].cap) {
			printf(" \"");
			print_escaped(dst, got);
			printf("\"");
		}
		printf(", expected %s\n",
		       decode_cases[i].expected ? "a decoding" : "-1");
	}
done:
	guard_free(&in);
	guard_free(&out);
}

/* ------------------------------------------------------------------ */
/* url_canonical_path */

#define ANY_SLASH (-1) /* trailing_slash not part of the contract here */

static const struct {
	const char *raw;
	int status;
	const char *fs;
	int trailing_slash;
	unsigned n;
	const char *name;
} path_cases[] = {
	/* Friendly. */
	{ "/", 0, ".", 1, 0, "root" },
	{ "/index.html", 0, "index.html", 0, 1, "one file" },
	{ "/a/b/", 0, "a/b", 1, 2, "directory" },
	{ "/cgi-bin/x.py", 0, "cgi-bin/x.py", 0, 2, "script" },
	{ "/%41%62", 0, "Ab", 0, 1, "escapes decoded" },
	{ "/caf%C3%A9", 0, "caf\xc3\xa9", 0, 1, "UTF-8 name" },
	{ "/a%20b", 0, "a b", 0, 1, "escaped space" },

	/* Collapsing. */
	{ "/a/./b/../c//d/", 0, "a/c/d", 1, 3, "dot, dot-dot, empty" },
	{ "/a/b/..", 0, "a", 1, 1, "trailing .. names a directory" },
	{ "/a/b/../", 0, "a", 1, 1, "trailing ../ keeps the slash" },
	{ "/a/b/.", 0, "a/b", 1, 2, "trailing . names a directory" },
	{ "//a///b", 0, "a/b", 0, 2, "runs of slashes" },
	{ "/./././", 0, ".", 1, 0, "only dots" },
	{ "/...", 0, "...", 0, 1, "three dots is a name" },
	{ "/a/.../b", 0, "a/.../b", 0, 3, "three dots inside" },
	{ "/..a/b..", 0, "..a/b..", 0, 2, "dots around names" },
	{ "/.a/", 0, ".a", 1, 1, "dotfile directory" },
	{ "/..\\..\\etc", 0, "..\\..\\etc", 0, 1,
	  "backslash is no separator" },

	/* Leaving the root. */
	{ "/..", 0, ".", ANY_SLASH, 0, ".. at the root" },
	{ "/../", 0, ".", 1, 0, "../ at the root" },
	{ "/../../etc/passwd", 0, "etc/passwd", 0, 2, ".. above the root" },
	{ "/a/../../../b", 0, "b", 0, 1, "more .. than names" },
	{ "/a/b/c/../../../../..", 0, ".", ANY_SLASH, 0, "all the way up" },
	{ "/%2e%2e/%2e%2e/etc/passwd", 0, "etc/passwd", 0, 2,
	  "%2e%2e above the root" },
	{ "/a/%2e%2e/b", 0, "b", 0, 1, "%2e%2e collapses" },
	{ "/a/%2E%2E/b", 0, "b", 0, 1, "%2E%2E collapses" },
	{ "/a/.%2e/b", 0, "b", 0, 1, ".%2e collapses" },
	{ "/a/%2e./b", 0, "b", 0, 1, "%2e. collapses" },
	{ "/%2e/a", 0, "a", 0, 1, "%2e is ." },
	{ "/a/b/%2e%2e", 0, "a", 1, 1, "trailing %2e%2e names a directory" },
	{ "%2e%2e", 0, ".", ANY_SLASH, 0, "%2e%2e without a leading slash" },
	{ "/a%2fb", 0, "a/b", 0, 2, "%2f splits" },
	{ "/a%2Fb", 0, "a/b", 0, 2, "%2F splits" },
	{ "/a/..%2f..%2f..%2fetc/passwd", 0, "etc/passwd", 0, 2,
	  "..%2f above the root" },
	{ "/%2e%2e%2f%2e%2e%2fetc", 0, "etc", 0, 1, "all of it encoded" },
	{ "/%2f%2f", 0, ".", 1, 0, "only encoded slashes" },
	{ "/a%2f", 0, "a", 1, 1, "encoded trailing slash, as decoded" },
	{ "/%252e%252e/x", 0, "%2e%2e/x", 0, 2, "decoded once" },
	{ "/%2500", 0, "%00", 0, 1, "%2500 is %00 literally" },
	{ "/%", 0, "%", 0, 1, "stray %" },

	/* Controls after decoding. */
	{ "/%00", 400, NULL, 0, 0, "%00" },
	{ "/a%00.html", 400, NULL, 0, 0, "%00 before an extension" },
	{ "/a/%00/../b", 400, NULL, 0, 0, "%00 in a removed component" },
	{ "/..%00/", 400, NULL, 0, 0, "..%00" },
	{ "/%0a", 400, NULL, 0, 0, "%0a" },
	{ "/%0d", 400, NULL, 0, 0, "%0d" },
	{ "/%0D%0A", 400, NULL, 0, 0, "%0D%0A" },
	{ "/%09", 400, NULL, 0, 0, "%09" },
	{ "/%01", 400, NULL, 0, 0, "%01" },
	{ "/%1b[0m", 400, NULL, 0, 0, "%1b" },
	{ "/%1f", 400, NULL, 0, 0, "%1f" },
	{ "/%7f", 400, NULL, 0, 0, "%7f" },
	{ "/%7F", 400, NULL, 0, 0, "%7F" },
	{ "/a\x01", 400, NULL, 0, 0, "raw SOH" },
};

/* fs must be the components joined with '/', or "." for none. */
static bool fs_matches_components(const struct url_path *p)
{
	char joined[URL_PATH_MAX + 2];
	size_t len = 0;
	if (p->n == 0)
		return strcmp(p->fs, ".") == 0;
	for (unsigned i = 0; i < p->n; i++) {
		size_t n = strlen(p->component[i]);
		if (n == 0 || len + n + 2 > sizeof joined)
			return false;
		if (i)
			joined[len++] = '/';
		memcpy(joined + len, p->component[i], n);
		len += n;
	}
	joined[len] = '\0';
	return strcmp(joined, p->fs) == 0;
}

static void check_path(const char *raw, size_t len, int status,
		       const char *fs, int trailing_slash, unsigned n,
		       const char *name)
{
	static struct url_path p;
	struct guarded g;
	const char *in = guard_copy(&g, raw, len + 1); /* NUL last */
	int got;

	if (in == NULL) {
		tap_ok(0, "url_canonical_path: %s: mmap failed", name);
		return;
	}
	if (sigsetjmp(fault_env, 1)) {
		tap_ok(0, "url_canonical_path: %s: memory fault past the input",
		       name);
		guard_free(&g);
		return;
	}
	armed = 1;
	got = url_canonical_path(in, &p);
	armed = 0;

	bool ok = got == status;
	if (ok && status == 0)
		ok = strcmp(p.fs, fs) == 0 && p.n == n &&
		     (trailing_slash == ANY_SLASH ||
		      p.trailing_slash == (trailing_slash != 0)) &&
		     fs_matches_components(&p);
	if (!tap_ok(ok, "url_canonical_path: %s -> %d", name, status)) {
		printf("# raw \"");
		print_escaped(raw, len);
		printf("\"\n# got %d", got);
		if (got == 0) {
			printf(" fs \"");
			print_escaped(p.fs, strlen(p.fs));
			printf("\" n %u trailing_slash %d", p.n,
			       p.trailing_slash);
		}
		printf("; expected %d", status);
		if (status == 0)
			printf(" fs \"%s\" n %u trailing_slash %d", fs, n,
			       trailing_slash);
		putchar('\n');
	}
	guard_free(&g);
}

/* Long paths: head, unit repeated to reach total raw bytes, no tail. */
static const struct {
	const char *head;
	const char *unit;
	size_t total;
	int status;
	unsigned n;
	const char *name;
} long_cases[] = {
	{ "/", "a", URL_PATH_MAX, 0, 1, "one name, 4096 bytes decoded" },
	{ "/", "a", URL_PATH_MAX + 1, 414, 0, "one name, 4097 bytes" },
	{ "", "/a", URL_PATH_MAX, 0, URL_PATH_MAX / 2,
	  "2048 one-letter names, 4096 bytes" },
	{ "", "/a", URL_PATH_MAX + 2, 414, 0, "2049 one-letter names" },
	{ "", "/", URL_PATH_MAX + 1, 414, 0, "4097 slashes" },
	{ "", "/..", 3 * 1366, 414, 0, "4098 bytes of /.. (empty result)" },
	{ "/", "%41", 3 * URL_PATH_MAX, 0, 1,
	  "12 KiB raw decoding to 4096 bytes" },
	{ "/", "%41", 3 * URL_PATH_MAX + 3, 414, 0,
	  "12 KiB raw decoding to 4097 bytes" },
	{ "/", "%2e%2e/", 7 * 585 + 1, 0, 0, "585 encoded ../ (4096 bytes)" },
	{ "/", "%00", 3 * 1000 + 1, 400, 0, "1000 encoded NULs" },
	{ "", "/", 65536, 414, 0, "64 KiB of slashes" },
};

static void check_long_path(size_t i, char *buf)
{
	size_t len = strlen(long_cases[i].head);
	size_t unit = strlen(long_cases[i].unit);
	memcpy(buf, long_cases[i].head, len);
	while (len + unit <= long_cases[i].total) {
		memcpy(buf + len, long_cases[i].unit, unit);
		len += unit;
	}
	buf[len] = '\0';
	if (long_cases[i].status == 0) {
		char fs[URL_PATH_MAX + 2];
		/* Expected fs: for these cases, nothing to collapse but the
		 * leading '/': the rest of the raw path, decoded. */
		size_t n = url_decode(fs, sizeof fs, buf + 1, len - 1);
		if (n == FAIL || long_cases[i].n == 0)
			strcpy(fs, ".");
		check_path(buf, len, 0, fs, ANY_SLASH, long_cases[i].n,
			   long_cases[i].name);
	} else {
		check_path(buf, len, long_cases[i].status, NULL, 0, 0,
			   long_cases[i].name);
	}
}

/* ------------------------------------------------------------------ */
/* url_join */

static const struct {
	unsigned first, count;
	size_t cap;
	const char *expected; /* NULL: must not fit */
	const char *name;
} join_cases[] = {
	{ 0, 3, 64, "/a/bb/ccc", "all components" },
	{ 0, 1, 64, "/a", "first component" },
	{ 1, 1, 64, "/bb", "middle component" },
	{ 1, 2, 64, "/bb/ccc", "last two" },
	{ 0, 0, 64, "", "no components" },
	{ 2, 5, 64, "/ccc", "count past the end is cut" },
	{ 3, 1, 64, "", "first at the end" },
	{ 7, 1, 64, "", "first past the end" },
	{ 1, ~0u, 64, "/bb/ccc", "count ~0u means the rest" },
	{ ~0u, 2, 64, "", "first ~0u" },
	{ 0, 3, 10, "/a/bb/ccc", "exact fit" },
	{ 0, 3, 9, NULL, "one byte short" },
	{ 0, 3, 1, NULL, "one byte" },
	{ 0, 3, 0, NULL, "no room at all" },
	{ 0, 0, 1, "", "nothing into one byte" },
	{ 0, 0, 0, NULL, "nothing into no room" },
};

static void check_join(const struct url_path *p, size_t i)
{
	struct guarded out;
	char *dst = guard_out(&out, join_cases[i].cap);
	const char *name = join_cases[i].name;
	size_t got;

	if (dst == NULL) {
		tap_ok(0, "url_join: %s: mmap failed", name);
		return;
	}
	if (sigsetjmp(fault_env, 1)) {
		tap_ok(0, "url_join: %s: memory fault past the buffer", name);
		guard_free(&out);
		return;
	}
	armed = 1;
	got = url_join(p, join_cases[i].first, join_cases[i].count, dst,
		       join_cases[i].cap);
	armed = 0;
	bool ok = join_cases[i].expected == NULL ? got == FAIL :
		got == strlen(join_cases[i].expected) &&
		strcmp(dst, join_cases[i].expected) == 0;
	if (!tap_ok(ok, "url_join(%u, %u, cap %zu): %s", join_cases[i].first,
		    join_cases[i].count, join_cases[i].cap, name))
		printf("# got %zd \"%s\", expected \"%s\"\n", (ssize_t)got,
		       got == FAIL ? "" : dst,
		       join_cases[i].expected ? join_cases[i].expected : "-1");
	guard_free(&out);
}

/* ------------------------------------------------------------------ */
/* url_encode_path: urllib.parse.quote(s, safe='/') */

static const struct {
	const char *input;
	size_t cap;
	const char *expected; /* NULL: must not fit */
	const char *name;
} encode_cases[] = {
	{ "abc", 64, "abc", "plain" },
	{ "AZaz09_.-~/", 64, "AZaz09_.-~/", "the safe set" },
	{ "/a b/", 64, "/a%20b/", "space" },
	{ "", 64, "", "empty" },
	{ "%", 64, "%25", "percent" },
	{ "%41", 64, "%2541", "an escape is escaped again" },
	{ "!*'();:@&=+$,?#[]", 128,
	  "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%3F%23%5B%5D", "reserved" },
	{ "\"<>\\^`{|}", 64, "%22%3C%3E%5C%5E%60%7B%7C%7D", "unsafe ASCII" },
	{ "\t\n\r", 64, "%09%0A%0D", "controls" },
	{ "\x01\x7f\x80\xff", 64, "%01%7F%80%FF", "edge bytes, upper-case hex" },
	{ "caf\xc3\xa9", 64, "caf%C3%A9", "UTF-8" },
	{ "<script>", 64, "%3Cscript%3E", "markup" },
	{ "a b", 6, "a%20b", "exact fit" },
	{ "a b", 5, NULL, "one byte short" },
	{ " ", 4, "%20", "escape exact fit" },
	{ " ", 3, NULL, "escape one byte short" },
	{ " ", 2, NULL, "escape into 2 bytes" },
	{ "a", 2, "a", "one byte exact" },
	{ "a", 1, NULL, "one byte into 1" },
	{ "", 1, "", "empty into 1" },
	{ "", 0, NULL, "empty into 0" },
};

/* Each byte value alone: the safe set and nothing else passes as itself. */
static void check_encode_every_byte(void)
{
	static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789_.-~/";
	int wrong = 0, first = 0;
	for (int c = 1; c < 256; c++) {
		char in[2] = { (char)c, '\0' }, out[8], want[8];
		if (strchr(safe, c) != NULL)
			snprintf(want, sizeof want, "%c", c);
		else
			snprintf(want, sizeof want, "%%%02X", (unsigned)c);
		if (url_encode_path(out, sizeof out, in) != strlen(want) ||
		    strcmp(out, want) != 0 || url_path_safe((unsigned char)c) != (want[0] != '%')) {
			if (wrong++ == 0)
				first = c;
		}
	}
	tap_ok(wrong == 0, "url_encode_path, url_path_safe: each of bytes 1-255 alone "
	       "(%d wrong, first %d)", wrong, first);
}

static void check_encode(size_t i)
{
	struct guarded in, out;
	size_t len = strlen(encode_cases[i].input);
	const char *src = guard_copy(&in, encode_cases[i].input, len + 1);
	char *dst = guard_out(&out, encode_cases[i].cap);
	const char *name = encode_cases[i].name;
	size_t got;

	if (src == NULL || dst == NULL) {
		tap_ok(0, "url_encode_path: %s: mmap failed", name);
		return;
	}
	if (sigsetjmp(fault_env, 1)) {
		tap_ok(0, "url_encode_path: %s: memory fault past a buffer",
		       name);
		goto done;
	}
	armed = 1;
	got = url_encode_path(dst, encode_cases[i].cap, src);
	armed = 0;
	bool ok = encode_cases[i].expected == NULL ? got == FAIL :
		got == strlen(encode_cases[i].expected) &&
		strcmp(dst, encode_cases[i].expected) == 0;
	if (!tap_ok(ok, "url_encode_path: %s", name))
		printf("# got %zd \"%s\", expected \"%s\"\n", (ssize_t)got,
		       got == FAIL ? "" : dst,
		       encode_cases[i].expected ? encode_cases[i].expected
						: "-1");
done:
	guard_free(&in);
	guard_free(&out);
}

/* trailing_slash is _url_collapse_path's (on the decoded path, "." and
 * ".." at the end count), slash_sent translate_path's (the raw path ends
 * in '/'). The first cases were found by tests/parity/parity.py. */
static const struct {
	const char *raw;
	bool trailing_slash, slash_sent;
	const char *name;
} slash_cases[] = {
	{ "/cgi-bin/x.py/..", true, false, "script/.. is the directory" },
	{ "/a/b/.", true, false, "/a/b/. (Python: /a/b/)" },
	{ "/a/b/..", true, false, "/a/b/.. (Python: /a/)" },
	{ "/a/b/%2e", true, false, "encoded . at the end" },
	{ "/a/b/.%2E", true, false, "half-encoded .. at the end" },
	{ "/cgi-bin%2f", true, false, "encoded slash at the end" },
	{ "/cgi-bin%2F%2e", true, false, "encoded slash and . at the end" },
	{ "/a/", true, true, "a slash sent" },
	{ "/a/ ", false, true, "a slash then a blank: only rstrip drops it" },
	{ "/", true, true, "the root" },
	{ "/..", true, false, ".. at the root" },
	{ "/%2e%2e", true, false, "encoded .. at the root" },
	{ "/a", false, false, "no slash" },
	{ "/a/...", false, false, "three dots are a name" },
	{ "/a/.b", false, false, "a dot file" },
	{ "/a/b.", false, false, "a name ending in a dot" },
	{ "/a/%2e%2e%2e", false, false, "encoded three dots" },
	{ "/a/%2e%00", false, false, "400 before any slash" },
	{ "/a%20", false, false, "encoded blank at the end" },
	{ "/a/%20", false, false, "encoded blank after a slash" },
	{ "/a/.%20", false, false, "dot and encoded blank" },
	{ "/a/..;x", false, false, "..;x is a name" },
};

static void check_slashes(size_t i)
{
	static struct url_path p;
	int status = url_canonical_path(slash_cases[i].raw, &p);
	bool ok = status == 0 ?
		p.trailing_slash == slash_cases[i].trailing_slash &&
		p.slash_sent == slash_cases[i].slash_sent :
		!slash_cases[i].trailing_slash && !slash_cases[i].slash_sent;
	if (!tap_ok(ok, "url_canonical_path slashes: %s", slash_cases[i].name))
		printf("# status %d trailing_slash %d slash_sent %d\n", status,
		       p.trailing_slash, p.slash_sent);
}

int main(void)
{
	static char buf[70000];
	static struct url_path p;

	catch_faults();
	for (size_t i = 0; i < sizeof decode_cases / sizeof decode_cases[0]; i++)
		check_decode(i);
	for (size_t i = 0; i < sizeof path_cases / sizeof path_cases[0]; i++)
		check_path(path_cases[i].raw, strlen(path_cases[i].raw),
			   path_cases[i].status, path_cases[i].fs,
			   path_cases[i].trailing_slash, path_cases[i].n,
			   path_cases[i].name);
	for (size_t i = 0; i < sizeof slash_cases / sizeof slash_cases[0]; i++)
		check_slashes(i);
	for (size_t i = 0; i < sizeof long_cases / sizeof long_cases[0]; i++)
		check_long_path(i, buf);

	int status = url_canonical_path("/a/bb/ccc/", &p);
	tap_ok(status == 0 && p.n == 3, "url_join: setup /a/bb/ccc/");
	for (size_t i = 0; i < sizeof join_cases / sizeof join_cases[0]; i++)
		check_join(&p, i);

	for (size_t i = 0; i < sizeof encode_cases / sizeof encode_cases[0]; i++)
		check_encode(i);
	check_encode_every_byte();
	return tap_done();
}
