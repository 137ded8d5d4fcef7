/* head_scan and request_parse against their contract: what ends a head,
 * which limits answer 414 and 431, which request lines and header fields
 * are refused with which status, and what a good request parses into.
 * Every input sits at the very end of a page followed by an unmapped page,
 * and a fault is caught and reported as a failed case, not a crash. */
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "bounds.h"
#include "request.h"
#include "status.h"
#include "tap.h"

/* A literal and its length, so that inputs may hold NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1
#define H "Host: a\r\n"

/* ------------------------------------------------------------------ */
/* Faults: an over-read (or over-write) hits the unmapped page and comes
 * back here as a failed case. */

/* Prints bytes for a diagnostic line, escaped. */
/* ------------------------------------------------------------------ */
/* head_scan */

/* end: where the head ends for a 200, 0 meaning "the whole input". For
 * every case, feeding the input byte by byte must give the same status,
 * first reached when exactly 'end' bytes (200) or all bytes (an error)
 * have been fed. */
static const struct {
	const char *input;
	size_t len;
	int status;
	size_t end;
	const char *name;
} scan_cases[] = {
	/* Friendly. */
	{ S("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), 200, 0, "CRLF head" },
	{ S("GET / HTTP/1.0\n\n"), 200, 0, "bare LF head" },
	{ S("GET / HTTP/1.0\r\nA: b\n\r\n"), 200, 0, "mixed CRLF and LF" },
	{ S("POST / HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc"), 200, 38,
	  "body bytes after the head are not head" },
	{ S("GET / HTTP/1.1\r\nHost: a\r\n"), 0, 0, "no empty line yet" },

	/* Hostile or odd. */
	{ S(""), 0, 0, "nothing yet" },
	{ S("\r\n"), 0, 0, "one empty line before any request line" },
	{ S("\r\n\n\r\n\n"), 0, 0, "only empty lines" },
	{ S("\r\n\n\r\nGET / HTTP/1.0\r\n\r\n"), 200, 0,
	  "empty lines before the request line are skipped" },
	{ S("\n\nGET / HTTP/1.0\n\n"), 200, 0, "bare LF empty lines skipped" },
	{ S("GET / HTTP/1.0"), 0, 0, "request line without LF" },
	{ S("GET / HTTP/1.0\r"), 0, 0, "request line ending in CR only" },
	{ S("GET / HTTP/1.0\r\n"), 0, 0, "request line, no empty line" },
	{ S("GET / HTTP/1.0\r\n\r"), 0, 0, "final CR without LF" },
	{ S("GET / HTTP/1.0\r\r\r\r"), 0, 0, "lone CRs end no line" },
	{ S("GET / HTTP/1.0\r\n\r\r\n"), 0, 0, "CR CR LF is not an empty line" },
	{ S("GET / HTTP/1.0\r\n \r\n"), 0, 0, "SP CRLF is not an empty line" },
	{ S("GET / HTTP/1.0\r\n\t\n"), 0, 0, "HTAB LF is not an empty line" },
	{ S("GET / HTTP/1.0\r\n\0\r\n"), 0, 0, "NUL CRLF is not an empty line" },
	{ S("GET /\0 HTTP/1.0\r\n\r\n"), 200, 0, "NUL does not stop the scan" },
	{ S("\0"), 400, 0, "a NUL cannot start a request line" },
	{ S("\r\r\n"), 400, 0, "CR CR LF is a request line without HTTP/" },
	{ S("\x16"), 400, 0, "TLS ClientHello: refused at its first byte" },
	{ S("   GET / HTTP/1.1\r\nHost: example.org\r\n\r\n"), 200, 0,
	  "leading blanks, as Python's split() allows (found by fuzzing)" },
	{ S("GET /\r\n"), 400, 0, "HTTP/0.9 line: refused when it ends" },
	{ S("EHLO evil.example\r\n"), 400, 0, "SMTP: refused when the line ends" },
	{ S("GET / HTTP/1.0"), 0, 0, "unfinished plausible line waits" },
	{ S("GET / HTTP/1.0\n\r\n\r\n"), 200, 17, "ends at the first empty line" },
	{ S("GET / HTTP/1.0\r\n\r\nGET /x HTTP/1.0\r\n\r\n"), 200, 18,
	  "pipelined second request is not head" },
	{ S("GET / HTTP/1.0\r\n\r\n\r\n"), 200, 18,
	  "extra CRLF after the head is not head" },
	{ S("GET / HTTP/1.0\r\nX: \r\n\r\n"), 200, 0,
	  "header with empty value then the end" },
	{ S("\n\rGET / HTTP/1.0\r\n\r\n"), 200, 0,
	  "LF then CR-led request line" },
};

/* Generated heads, for the limits. */
enum gen {
	GEN_REQUEST_LINE,     /* request line of n bytes (LF included), then CRLF */
	GEN_REQUEST_LINE_LF,  /* the same with bare LFs */
	GEN_REQUEST_OPEN,     /* n bytes of request line, no LF */
	GEN_EMPTY_THEN_OPEN,  /* "\r\n\r\n", then n bytes of request line */
	GEN_HEADER_LINE,      /* request line, header line of n bytes, CRLF */
	GEN_HEADER_OPEN,      /* request line, n bytes of header line, no LF */
	GEN_HEADERS,          /* request line, n headers, CRLF */
	GEN_HEAD_OPEN,        /* n bytes of well-formed head with no end */
	GEN_HEAD_CLOSED,      /* a complete head of exactly n bytes */
	GEN_EMPTY_LINES,      /* n bytes of CRLF */
	GEN_EMPTY_LINES_LF,   /* n bytes of LF */
};

#define NO_STOP 1L /* a positive delta: do not check where it stops */

static const struct {
	enum gen kind;
	size_t n;
	int status;
	long stop_delta; /* where byte-by-byte must stop, relative to len */
	const char *name;
} gen_cases[] = {
	{ GEN_REQUEST_LINE, REQUEST_LINE_MAX, 200, 0,
	  "request line of 65536 bytes (CRLF included)" },
	{ GEN_REQUEST_LINE, REQUEST_LINE_MAX + 1, 414, -2,
	  "request line of 65537 bytes" },
	{ GEN_REQUEST_LINE, REQUEST_LINE_MAX + 1000, 414, -1000 - 1,
	  "request line of 66536 bytes" },
	{ GEN_REQUEST_LINE_LF, REQUEST_LINE_MAX, 200, 0,
	  "request line of 65536 bytes (LF included)" },
	{ GEN_REQUEST_LINE_LF, REQUEST_LINE_MAX + 1, 414, -1,
	  "request line of 65537 bytes, bare LF" },
	{ GEN_REQUEST_OPEN, REQUEST_LINE_MAX, 0, 0,
	  "unterminated request line of 65536 bytes still waits" },
	{ GEN_REQUEST_OPEN, REQUEST_LINE_MAX + 1, 414, 0,
	  "unterminated request line of 65537 bytes" },
	{ GEN_REQUEST_OPEN, 3 * REQUEST_LINE_MAX, 414, -2 * REQUEST_LINE_MAX + 1,
	  "unterminated request line of 192 KiB" },
	{ GEN_EMPTY_THEN_OPEN, REQUEST_LINE_MAX, 0, 0,
	  "empty lines, then 65536 bytes of request line" },
	{ GEN_EMPTY_THEN_OPEN, REQUEST_LINE_MAX + 1, 414, 0,
	  "empty lines, then 65537 bytes of request line" },
	{ GEN_HEADER_LINE, HEADER_LINE_MAX, 200, 0,
	  "header line of 65536 bytes (CRLF included)" },
	{ GEN_HEADER_LINE, HEADER_LINE_MAX + 1, 431, -2,
	  "header line of 65537 bytes" },
	{ GEN_HEADER_OPEN, HEADER_LINE_MAX, 0, 0,
	  "unterminated header line of 65536 bytes still waits" },
	{ GEN_HEADER_OPEN, HEADER_LINE_MAX + 1, 431, 0,
	  "unterminated header line of 65537 bytes" },
	{ GEN_HEADERS, HEADER_FIELDS_MAX, 200, 0, "exactly 100 header fields" },
	{ GEN_HEADERS, HEADER_FIELDS_MAX + 1, 431, -2, "101 header fields" },
	{ GEN_HEADERS, 5000, 431, NO_STOP, "5000 header fields" },
	{ GEN_HEAD_OPEN, HEAD_MAX - 1, 0, 0,
	  "unfinished head of 1 MiB - 1 still waits" },
	{ GEN_HEAD_OPEN, HEAD_MAX, 431, 0, "unfinished head reaching 1 MiB" },
	{ GEN_HEAD_OPEN, HEAD_MAX + 4096, 431, -4096,
	  "unfinished head past 1 MiB" },
	{ GEN_HEAD_CLOSED, HEAD_MAX + 2, 431, -2,
	  "complete head of 1 MiB + 2 bytes" },
	{ GEN_HEAD_CLOSED, 2 * HEAD_MAX, 431, -HEAD_MAX,
	  "complete head of 2 MiB" },
	{ GEN_EMPTY_LINES, HEAD_MAX, 431, 0, "1 MiB of empty CRLF lines" },
	{ GEN_EMPTY_LINES_LF, HEAD_MAX, 431, 0, "1 MiB of empty LF lines" },
};

/* Appends a line "X: aaa...\r\n" of exactly n bytes (n >= 5). */
static size_t put_header(char *p, size_t n)
{
	memcpy(p, "X: ", 3);
	memset(p + 3, 'a', n - 5);
	memcpy(p + n - 2, "\r\n", 2);
	return n;
}

/* Fills buf with n bytes of head-shaped data and no empty line: a request
 * line, then header lines of at most 60000 bytes, the last one open. */
static size_t put_open_head(char *buf, size_t n)
{
	static const char rl[] = "GET / HTTP/1.1\r\n";
	size_t len = sizeof rl - 1;
	memcpy(buf, rl, len);
	while (n - len > 60000) {
		len += put_header(buf + len, 60000);
	}
	memcpy(buf + len, "X: ", 3);
	memset(buf + len + 3, 'b', n - len - 3);
	return n;
}

/* Builds a generated case; returns its length. buf has room for 3 MiB. */
static size_t build(char *buf, enum gen kind, size_t n)
{
	static const char rl[] = "GET / HTTP/1.1\r\n";
	size_t rl_len = sizeof rl - 1, len = 0;

	switch (kind) {
	case GEN_REQUEST_LINE:
	case GEN_REQUEST_LINE_LF: {
		const char *eol = kind == GEN_REQUEST_LINE ? "\r\n" : "\n";
		size_t eol_len = strlen(eol);
		memcpy(buf, "GET /", 5);
		len = n - eol_len - 9;
		memset(buf + 5, 'a', len - 5);
		memcpy(buf + len, " HTTP/1.1", 9);
		len += 9;
		memcpy(buf + len, eol, eol_len);
		len += eol_len;
		memcpy(buf + len, eol, eol_len);
		return len + eol_len;
	}
	case GEN_REQUEST_OPEN:
	case GEN_EMPTY_THEN_OPEN:
		if (kind == GEN_EMPTY_THEN_OPEN) {
			memcpy(buf, "\r\n\r\n", 4);
			len = 4;
		}
		memcpy(buf + len, "GET /", 5);
		memset(buf + len + 5, 'a', n - 5);
		return len + n;
	case GEN_HEADER_LINE:
		memcpy(buf, rl, rl_len);
		len = rl_len + put_header(buf + rl_len, n);
		memcpy(buf + len, "\r\n", 2);
		return len + 2;
	case GEN_HEADER_OPEN:
		memcpy(buf, rl, rl_len);
		memcpy(buf + rl_len, "X: ", 3);
		memset(buf + rl_len + 3, 'a', n - 3);
		return rl_len + n;
	case GEN_HEADERS:
		memcpy(buf, rl, rl_len);
		len = rl_len;
		for (size_t i = 0; i < n; i++)
			len += (size_t)sprintf(buf + len, "X-%zu: v\r\n", i);
		memcpy(buf + len, "\r\n", 2);
		return len + 2;
	case GEN_HEAD_OPEN:
		return put_open_head(buf, n);
	case GEN_HEAD_CLOSED:
		/* Header lines up to n - 2 bytes, the last one sized to fit. */
		memcpy(buf, rl, rl_len);
		len = rl_len;
		while (n - 2 - len > 60000 + 5)
			len += put_header(buf + len, 60000);
		len += put_header(buf + len, n - 2 - len);
		memcpy(buf + len, "\r\n", 2);
		return len + 2;
	case GEN_EMPTY_LINES:
		for (len = 0; len + 2 <= n; len += 2)
			memcpy(buf + len, "\r\n", 2);
		return len;
	case GEN_EMPTY_LINES_LF:
		memset(buf, '\n', n);
		return n;
	}
	return 0;
}

/* Small inputs get a fresh guarded copy for every prefix, so that even the
 * intermediate calls fault on an over-read; large ones share one copy. */
#define PER_PREFIX_GUARD_MAX 4096

/* The table's notation: 200 for a complete head, 0 for "needs more". */
static int outcome(int got, const struct head_scan *scan)
{
	return got ? got : scan->end ? 200 : 0;
}

static void check_scan(const char *input, size_t len, int status, size_t end,
		       size_t stop, const char *name)
{
	struct guarded g;
	char *buf = guard_copy(&g, input, len);
	struct head_scan scan;
	int got;

	if (buf == NULL) {
		tap_ok(0, "head_scan: %s: mmap failed", name);
		return;
	}
	if (sigsetjmp(fault_env, 1)) {
		tap_ok(0, "head_scan: %s: memory fault past the input", name);
		guard_free(&g);
		return;
	}
	memset(&scan, 0, sizeof scan);
	armed = 1;
	got = outcome(head_scan(&scan, buf, len), &scan);
	armed = 0;
	if (!tap_ok(got == status && (status != 200 || scan.end == end),
		    "head_scan at once: %s -> %d", name, status))
		printf("# got %d (end %zu), expected %d (end %zu)\n", got,
		       scan.end, status, end);
	guard_free(&g);

	/* The same bytes, one at a time. */
	struct head_scan step;
	volatile size_t fed = 0;
	memset(&step, 0, sizeof step);
	got = 0;
	if (len > PER_PREFIX_GUARD_MAX) {
		buf = guard_copy(&g, input, len);
		if (buf == NULL) {
			tap_ok(0, "head_scan: %s: mmap failed", name);
			return;
		}
	}
	if (sigsetjmp(fault_env, 1)) {
		tap_ok(0, "head_scan byte by byte: %s: memory fault", name);
		if (len > PER_PREFIX_GUARD_MAX)
			guard_free(&g);
		return;
	}
	armed = 1;
	while (got == 0 && fed < len) {
		fed++;
		if (len > PER_PREFIX_GUARD_MAX) {
			got = outcome(head_scan(&step, buf, fed), &step);
		} else {
			struct guarded pg;
			char *prefix = guard_copy(&pg, input, fed);
			if (prefix == NULL)
				break;
			got = outcome(head_scan(&step, prefix, fed), &step);
			guard_free(&pg);
		}
	}
	armed = 0;
	if (len > PER_PREFIX_GUARD_MAX)
		guard_free(&g);
	bool ok = got == status;
	if (status == 200)
		ok = ok && step.end == end && fed == end;
	else if (status != 0 && stop <= len)
		ok = ok && fed == stop;
	if (!tap_ok(ok, "head_scan byte by byte: %s -> %d", name, status))
		printf("# got %d after %zu bytes (end %zu), expected %d after "
		       "%zu bytes\n", got, fed, step.end, status,
		       status == 200 ? end : stop);
}

/* ------------------------------------------------------------------ */
/* request_parse: statuses */

static const struct {
	const char *input;
	size_t len;
	int status;
	const char *name;
} parse_cases[] = {
	/* Friendly. */
	{ S("GET / HTTP/1.1\r\n" H "\r\n"), 0, "GET, HTTP/1.1, Host" },
	{ S("HEAD /x HTTP/1.1\r\n" H "\r\n"), 0, "HEAD" },
	{ S("POST /cgi-bin/x HTTP/1.1\r\n" H "Content-Length: 5\r\n\r\n"), 0,
	  "POST with Content-Length" },
	{ S("GET / HTTP/1.0\r\n\r\n"), 0, "HTTP/1.0 without Host" },
	{ S("GET / HTTP/1.0\n\n"), 0, "bare LF line ends" },
	{ S("GET  \t /  \t\t HTTP/1.1\r\n" H "\r\n"), 0,
	  "several spaces and tabs between words" },
	{ S("\r\n\n\r\nGET / HTTP/1.0\r\n\r\n"), 0,
	  "empty lines before the request line" },
	{ S("GET http://h/ HTTP/1.1\r\n" H "\r\n"), 0, "absolute-form" },
	{ S("GET / HTTP/1.1\r\n" H "Content-Length:  5 \r\n\r\n"), 0,
	  "Content-Length with OWS around it" },
	{ S("GET / HTTP/1.1\r\n" H "X: caf\xc3\xa9 \x80\xff\r\n\r\n"), 0,
	  "obs-text bytes in a value" },
	{ S("GET / HTTP/1.1\r\n" H "X: a\tb\r\n\r\n"), 0, "HTAB inside a value" },
	{ S("GET / HTTP/1.1\r\n" H "X:\r\n\r\n"), 0, "empty header value" },
	{ S("GET / HTTP/1.1\r\n" H "Content-Length: 999999999999999999\r\n\r\n"),
	  0, "Content-Length of 18 digits" },

	/* Request line: word count. */
	{ S("\r\n"), 400, "nothing but an empty line" },
	{ S(" \r\n\r\n"), 400, "request line of one space" },
	{ S(" \t \r\n\r\n"), 400, "request line of blanks" },
	{ S("GET\r\n\r\n"), 400, "one word" },
	{ S("HTTP/1.1\r\n\r\n"), 400, "one word, a version" },
	{ S("GET /\r\n\r\n"), 400, "two words: HTTP/0.9 refused" },
	{ S("GET / \r\n\r\n"), 400, "two words and a trailing blank" },
	{ S("GET / HTTP/1.1 x\r\n" H "\r\n"), 400, "four words, junk last" },
	{ S("GET / x HTTP/1.1\r\n" H "\r\n"), 400, "four words, version last" },
	{ S("GET /a /b HTTP/1.1\r\n" H "\r\n"), 400, "two targets" },
	{ S("GET / HTTP/1.1 HTTP/1.1\r\n" H "\r\n"), 400, "two versions" },
	{ S("GET / a b HTTP/1.1\r\n" H "\r\n"), 400, "five words" },

	/* Lone CR, NUL and other controls in the request line. */
	{ S("GET / HTTP/1.1\rHost: a\r\n\r\n"), 400,
	  "lone CR ending the request line" },
	{ S("GET /\r HTTP/1.1\r\n" H "\r\n"), 400, "lone CR inside the target" },
	{ S("GET\r/ HTTP/1.1\r\n" H "\r\n"), 400, "lone CR as a separator" },
	{ S("GET / HTTP/1.1\r\r\n" H "\r\n"), 400, "CR CR LF after the version" },
	{ S("\rGET / HTTP/1.0\r\n\r\n"), 400, "lone CR before the method" },
	{ S("\r\r\nGET / HTTP/1.0\r\n\r\n"), 400,
	  "CR CR LF line before the request line" },
	{ S("GET /\0 HTTP/1.1\r\n" H "\r\n"), 400, "NUL in the target" },
	{ S("GET /a\0/../b HTTP/1.1\r\n" H "\r\n"), 400, "NUL hiding a suffix" },
	{ S("GET / HTTP/1.1\0\r\n" H "\r\n"), 400, "NUL after the version" },
	{ S("\0GET / HTTP/1.1\r\n" H "\r\n"), 400, "NUL before the method" },
	{ S("GET /\x01 HTTP/1.1\r\n" H "\r\n"), 400, "SOH in the target" },
	{ S("GET /\x1b[2J HTTP/1.1\r\n" H "\r\n"), 400, "ESC in the target" },
	{ S("GET\x0b/ HTTP/1.1\r\n" H "\r\n"), 400, "VT as a separator" },
	{ S("GET\x0c/ HTTP/1.1\r\n" H "\r\n"), 400, "FF as a separator" },
	{ S("GET /\x7f HTTP/1.1\r\n" H "\r\n"), 400, "DEL in the target" },
	{ S("G\x7fT / HTTP/1.1\r\n" H "\r\n"), 400, "DEL in the method" },

	/* Versions. */
	{ S("GET / HTTP/1\r\n\r\n"), 400, "version HTTP/1" },
	{ S("GET / HTTP/1.1.1\r\n" H "\r\n"), 400, "version HTTP/1.1.1" },
	{ S("GET / HTTP/a.b\r\n" H "\r\n"), 400, "version HTTP/a.b" },
	{ S("GET / http/1.1\r\n" H "\r\n"), 400, "version in lower case" },
	{ S("GET / HTTP/1.\r\n" H "\r\n"), 400, "version HTTP/1." },
	{ S("GET / HTTP/.1\r\n" H "\r\n"), 400, "version HTTP/.1" },
	{ S("GET / HTTP/\r\n" H "\r\n"), 400, "version HTTP/" },
	{ S("GET / HTTP\r\n" H "\r\n"), 400, "version HTTP" },
	{ S("GET / HTTPS/1.1\r\n" H "\r\n"), 400, "version HTTPS/1.1" },
	{ S("GET / HTTP/1,1\r\n" H "\r\n"), 400, "version HTTP/1,1" },
	{ S("GET / HTTP/1.1x\r\n" H "\r\n"), 400, "junk after the version" },
	{ S("GET / HTTP/-1.1\r\n" H "\r\n"), 400, "negative major" },
	{ S("GET / HTTP/+1.1\r\n" H "\r\n"), 400, "signed major" },
	{ S("GET / HTTP/1.-1\r\n" H "\r\n"), 400, "negative minor" },
	{ S("GET / HTTP/00000000001.1\r\n" H "\r\n"), 400,
	  "major of 11 digits" },
	{ S("GET / HTTP/1.00000000001\r\n" H "\r\n"), 400,
	  "minor of 11 digits" },
	{ S("GET / HTTP/99999999999999999999.1\r\n" H "\r\n"), 400,
	  "major of 20 digits" },
	{ S("GET / HTTP/2.0\r\n" H "\r\n"), 505, "HTTP/2.0" },
	{ S("GET / HTTP/3.0\r\n" H "\r\n"), 505, "HTTP/3.0" },
	{ S("GET / HTTP/0.9\r\n\r\n"), 505, "HTTP/0.9 with three words" },
	{ S("GET / HTTP/9999999999.0\r\n\r\n"), 505, "major of 10 digits" },
	{ S("GET / HTTP/2.0\r\n\r\n"), 505, "HTTP/2.0 without Host" },
	{ S("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 505,
	  "HTTP/2 preface: version checked first" },

	/* Methods. */
	{ S("G@T / HTTP/1.1\r\n" H "\r\n"), 400, "method with @" },
	{ S("GET( / HTTP/1.1\r\n" H "\r\n"), 400, "method with (" },
	{ S("\"GET\" / HTTP/1.1\r\n" H "\r\n"), 400, "quoted method" },
	{ S("G:ET / HTTP/1.1\r\n" H "\r\n"), 400, "method with colon" },
	{ S("GE/T / HTTP/1.1\r\n" H "\r\n"), 400, "method with slash" },
	{ S("G\xc3\x89T / HTTP/1.1\r\n" H "\r\n"), 400, "non-ASCII method" },
	/* Other methods parse: routing answers 501 unless --cgi-methods
	 * lets a script take them (the hostile catalogue sends each). */
	{ S("PUT / HTTP/1.1\r\n" H "\r\n"), 0, "PUT parses" },
	{ S("DELETE / HTTP/1.1\r\n" H "\r\n"), 0, "DELETE parses" },
	{ S("OPTIONS / HTTP/1.1\r\n" H "\r\n"), 0, "OPTIONS parses" },
	{ S("TRACE / HTTP/1.1\r\n" H "\r\n"), 0, "TRACE parses" },
	{ S("CONNECT / HTTP/1.1\r\n" H "\r\n"), 0, "CONNECT parses" },
	{ S("PATCH / HTTP/1.1\r\n" H "\r\n"), 0, "PATCH parses" },
	{ S("get / HTTP/1.1\r\n" H "\r\n"), 0, "lower-case get is another method" },
	{ S("GETS / HTTP/1.1\r\n" H "\r\n"), 0, "GETS is another method" },
	{ S("CONNECT host:443 HTTP/1.1\r\n" H "\r\n"), 0,
	  "CONNECT's authority-form parses (and is never routed)" },

	/* Targets. */
	{ S("GET * HTTP/1.1\r\n" H "\r\n"), 400, "asterisk-form" },
	{ S("GET a/b HTTP/1.1\r\n" H "\r\n"), 400, "relative path" },
	{ S("GET example.com:80 HTTP/1.1\r\n" H "\r\n"), 400,
	  "authority-form for GET" },
	{ S("GET ?x HTTP/1.1\r\n" H "\r\n"), 400, "query only" },
	{ S("GET #x HTTP/1.1\r\n" H "\r\n"), 400, "fragment only" },
	{ S("GET \\etc HTTP/1.1\r\n" H "\r\n"), 400, "backslash path" },
	{ S("GET ftp://h/ HTTP/1.1\r\n" H "\r\n"), 400, "ftp scheme" },
	{ S("GET javascript://h/ HTTP/1.1\r\n" H "\r\n"), 400, "other scheme" },
	{ S("GET xhttp://h/ HTTP/1.1\r\n" H "\r\n"), 400, "scheme with prefix" },
	{ S("GET http:/h/ HTTP/1.1\r\n" H "\r\n"), 400, "http:/ one slash" },
	{ S("GET http: HTTP/1.1\r\n" H "\r\n"), 400, "scheme only" },
	{ S("GET http:// HTTP/1.1\r\n" H "\r\n"), 400, "empty authority" },
	{ S("GET http:///etc/passwd HTTP/1.1\r\n" H "\r\n"), 400,
	  "empty authority, then a path" },
	{ S("GET http://u@h/ HTTP/1.1\r\n" H "\r\n"), 400, "userinfo" },
	{ S("GET http://h\\x/ HTTP/1.1\r\n" H "\r\n"), 400,
	  "backslash in authority" },
	{ S("GET http://h\"/ HTTP/1.1\r\n" H "\r\n"), 400, "quote in authority" },

	/* Header lines. */
	{ S("GET / HTTP/1.1\r\n" H " X: b\r\n\r\n"), 400, "obs-fold with SP" },
	{ S("GET / HTTP/1.1\r\n" H "\tX: b\r\n\r\n"), 400, "obs-fold with HTAB" },
	{ S("GET / HTTP/1.1\r\n Host: a\r\n\r\n"), 400,
	  "first header line starts with SP" },
	{ S("GET / HTTP/1.1\r\n" H "   \r\n\r\n"), 400, "line of blanks" },
	{ S("GET / HTTP/1.1\r\nHost a\r\n\r\n"), 400, "header without colon" },
	{ S("GET / HTTP/1.1\r\n" H "X\r\n\r\n"), 400, "bare header name" },
	{ S("GET / HTTP/1.1\r\nHost : a\r\n\r\n"), 400,
	  "space before the colon" },
	{ S("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n"), 400, "tab before the colon" },
	{ S("GET / HTTP/1.1\r\n" H ": v\r\n\r\n"), 400, "empty header name" },
	{ S("GET / HTTP/1.1\r\n" H ":\r\n\r\n"), 400, "colon alone" },
	{ S("GET / HTTP/1.1\r\n" H "X Y: z\r\n\r\n"), 400, "space in name" },
	{ S("GET / HTTP/1.1\r\n" H "X(: z\r\n\r\n"), 400, "( in name" },
	{ S("GET / HTTP/1.1\r\n" H "X@Y: z\r\n\r\n"), 400, "@ in name" },
	{ S("GET / HTTP/1.1\r\n" H "[x]: z\r\n\r\n"), 400, "brackets in name" },
	{ S("GET / HTTP/1.1\r\n" H "X\xc3\xa9: z\r\n\r\n"), 400,
	  "non-ASCII name" },
	{ S("GET / HTTP/1.1\r\n" H "X\x7f: z\r\n\r\n"), 400, "DEL in name" },

	/* Lone CR, NUL and controls in header lines. */
	{ S("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n"), 400,
	  "lone CR inside a value" },
	{ S("GET / HTTP/1.1\r\n" H "X: b\r\r\n\r\n"), 400,
	  "CR CR LF ending a header" },
	{ S("GET / HTTP/1.1\r\n" H "X\r: b\r\n\r\n"), 400, "CR in a name" },
	{ S("GET / HTTP/1.1\r\n" H "\r\r\n\r\n"), 400,
	  "CR CR LF as a would-be empty line" },
	{ S("GET / HTTP/1.1\r\n" H "X: a\0b\r\n\r\n"), 400, "NUL in a value" },
	{ S("GET / HTTP/1.1\r\n" H "X\0: b\r\n\r\n"), 400, "NUL in a name" },
	{ S("GET / HTTP/1.1\r\n" H "\0X: b\r\n\r\n"), 400,
	  "NUL starting a line" },
	{ S("GET / HTTP/1.1\r\n" H "X: b\0\r\n\r\n"), 400, "NUL ending a value" },
	{ S("GET / HTTP/1.1\r\n" H "X: \x01\r\n\r\n"), 400, "SOH in a value" },
	{ S("GET / HTTP/1.1\r\n" H "X: \x1b[31m\r\n\r\n"), 400, "ESC in a value" },
	{ S("GET / HTTP/1.1\r\n" H "X: a\x0b\r\n\r\n"), 400, "VT in a value" },
	{ S("GET / HTTP/1.1\r\n" H "X: a\x7f\r\n\r\n"), 400, "DEL in a value" },
	{ S("GET / HTTP/1.1\r\n" H "X: a\x1f b\r\n\r\n"), 400, "US in a value" },

	/* Host. */
	{ S("GET / HTTP/1.1\r\n\r\n"), 400, "HTTP/1.1 without Host" },
	{ S("GET / HTTP/1.1\r\nX-Host: a\r\n\r\n"), 400, "X-Host is not Host" },
	{ S("GET / HTTP/1.1\r\n" H H "\r\n"), 400, "duplicate Host, same value" },
	{ S("GET / HTTP/1.1\r\nhost: a\r\nHOST: b\r\n\r\n"), 400,
	  "duplicate Host, other case" },
	{ S("GET / HTTP/1.0\r\n" H H "\r\n"), 400, "duplicate Host, HTTP/1.0" },
	{ S("GET http://h/ HTTP/1.1\r\n" H H "\r\n"), 400,
	  "duplicate Host, absolute-form" },
	{ S("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"), 400, "Host with /" },
	{ S("GET / HTTP/1.1\r\nHost: u@a\r\n\r\n"), 400, "Host with @" },
	{ S("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400, "Host with space" },
	{ S("GET / HTTP/1.1\r\nHost: a\tb\r\n\r\n"), 400, "Host with HTAB" },
	{ S("GET / HTTP/1.1\r\nHost: a\\b\r\n\r\n"), 400, "Host with backslash" },
	{ S("GET / HTTP/1.1\r\nHost: ..\\..\r\n\r\n"), 400,
	  "Host of backslashed dots" },
	{ S("GET / HTTP/1.1\r\nHost: /etc\r\n\r\n"), 400, "Host as a path" },
	{ S("GET / HTTP/1.0\r\nHost: a/b\r\n\r\n"), 400,
	  "Host with /, HTTP/1.0" },
	/* Host names go to scripts as SERVER_NAME: only what a DNS name, an
	 * IPv4 or a bracketed IPv6 address can hold, and a port 1..65535. */
	{ S("GET / HTTP/1.1\r\nHost: $(id)\r\n\r\n"), 400, "Host $(id)" },
	{ S("GET / HTTP/1.1\r\nHost: ';id;'\r\n\r\n"), 400, "Host ';id;'" },
	{ S("GET / HTTP/1.1\r\nHost: a&b\r\n\r\n"), 400, "Host with &" },
	{ S("GET / HTTP/1.1\r\nHost: a!b\r\n\r\n"), 400, "Host with !" },
	{ S("GET / HTTP/1.1\r\nHost: a%41\r\n\r\n"), 400, "Host with %" },
	{ S("GET / HTTP/1.1\r\nHost: a*\r\n\r\n"), 400, "Host with *" },
	{ S("GET / HTTP/1.1\r\nHost: a=b\r\n\r\n"), 400, "Host with =" },
	{ S("GET / HTTP/1.1\r\nHost: a+b\r\n\r\n"), 400, "Host with +" },
	{ S("GET / HTTP/1.1\r\nHost: a~b\r\n\r\n"), 400, "Host with ~" },
	{ S("GET / HTTP/1.1\r\nHost: \xc3\xa9\r\n\r\n"), 400, "Host of UTF-8" },
	{ S("GET / HTTP/1.1\r\nHost: a:\r\n\r\n"), 400, "Host with an empty port" },
	{ S("GET / HTTP/1.1\r\nHost: a:0\r\n\r\n"), 400, "Host port 0" },
	{ S("GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n"), 400, "Host port 65536" },
	{ S("GET / HTTP/1.1\r\nHost: a:123456\r\n\r\n"), 400, "Host port of 6 digits" },
	{ S("GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n"), 400, "Host port not digits" },
	{ S("GET / HTTP/1.1\r\nHost: a:1:2\r\n\r\n"), 400, "Host with two colons" },
	{ S("GET / HTTP/1.1\r\nHost: :80\r\n\r\n"), 400, "Host of a port only" },
	{ S("GET / HTTP/1.1\r\nHost: []\r\n\r\n"), 400, "empty IPv6 literal" },
	{ S("GET / HTTP/1.1\r\nHost: [::g]\r\n\r\n"), 400, "IPv6 literal with g" },
	{ S("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n"), 400, "IPv6 literal not closed" },
	{ S("GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n"), 400, "junk after ]" },
	{ S("GET / HTTP/1.1\r\nHost: [v1.x]\r\n\r\n"), 400, "IPvFuture literal" },
	{ S("GET / HTTP/1.1\r\nHost: a_b.example-1.org:65535\r\n\r\n"), 0,
	  "Host of a DNS name with '_', '-' and port 65535" },
	{ S("GET / HTTP/1.1\r\nHost: 192.0.2.1:1\r\n\r\n"), 0, "IPv4 Host, port 1" },
	{ S("GET / HTTP/1.1\r\nHost: [2001:db8::1]:8080\r\n\r\n"), 0,
	  "IPv6 Host with a port" },
	{ S("GET / HTTP/1.1\r\nHost: [::ffff:192.0.2.1]\r\n\r\n"), 0,
	  "IPv4-mapped IPv6 Host" },

	/* Framing. */
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: 5\r\nContent-Length: 5\r\n\r\n"),
	  400, "duplicate Content-Length, same value" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: 5\r\ncontent-length: 6\r\n\r\n"),
	  400, "duplicate Content-Length, other value" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: abc\r\n\r\n"), 400,
	  "Content-Length not a number" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: -1\r\n\r\n"), 400,
	  "negative Content-Length" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: +5\r\n\r\n"), 400,
	  "signed Content-Length" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: 5,5\r\n\r\n"), 400,
	  "Content-Length list" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: 5, 5\r\n\r\n"), 400,
	  "Content-Length list with space" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: 5 5\r\n\r\n"), 400,
	  "Content-Length with inner space" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: 0x10\r\n\r\n"), 400,
	  "hex Content-Length" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: 5.0\r\n\r\n"), 400,
	  "fractional Content-Length" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: 1e3\r\n\r\n"), 400,
	  "exponent Content-Length" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length:\r\n\r\n"), 400,
	  "empty Content-Length" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: 1000000000000000000\r\n\r\n"),
	  400, "Content-Length of 19 digits" },
	{ S("POST / HTTP/1.1\r\n" H
	    "Content-Length: 99999999999999999999999999\r\n\r\n"),
	  400, "Content-Length of 26 digits" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: \xef\xbc\x95\r\n\r\n"), 400,
	  "full-width digit" },
	{ S("POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n"
	    "Content-Length: 5\r\n\r\n"), 400, "Transfer-Encoding then Content-Length" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: 5\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n"), 400, "Content-Length then Transfer-Encoding" },
	{ S("POST / HTTP/1.1\r\n" H "Content-Length: 0\r\n"
	    "transfer-encoding: identity\r\n\r\n"), 400,
	  "Content-Length 0 with transfer-encoding" },
	{ S("POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n\r\n"), 0,
	  "Transfer-Encoding: chunked alone (a script decodes it; a file 411)" },
	{ S("POST / HTTP/1.1\r\n" H "TRANSFER-ENCODING: CHUNKED\r\n\r\n"), 0,
	  "Transfer-Encoding, upper case" },
	{ S("POST / HTTP/1.1\r\n" H "Transfer-Encoding: gzip, chunked\r\n\r\n"),
	  501, "a coding before chunked" },
	{ S("POST / HTTP/1.1\r\n" H "Transfer-Encoding: identity\r\n\r\n"),
	  501, "identity" },
	{ S("POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked, chunked\r\n\r\n"),
	  501, "chunked twice in one field" },
	{ S("POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n"), 400, "two Transfer-Encoding fields" },
	{ S("POST / HTTP/1.1\r\n" H "Transfer-Encoding: xchunked\r\n\r\n"), 501,
	  "a look-alike of chunked" },
	{ S("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400,
	  "Transfer-Encoding with HTTP/1.0 (faulty framing, RFC 9112 6.1)" },
};

static const char *safe(const char *s)
{
	return s == NULL ? "(null)" : s;
}

static bool same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	       (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Parses a guarded copy of input; *g must be freed by the caller. Returns
 * -1 on a fault or mmap failure (reported), else the status. */
static int parse_guarded(struct guarded *g, const char *input, size_t len,
			 struct request *rq, const char **why, const char *name)
{
	char *buf = guard_copy(g, input, len);
	if (buf == NULL) {
		tap_ok(0, "request_parse: %s: mmap failed", name);
		return -1;
	}
	if (sigsetjmp(fault_env, 1)) {
		tap_ok(0, "request_parse: %s: memory fault past the input", name);
		return -1;
	}
	*why = NULL;
	armed = 1;
	int status = request_parse(buf, len, rq, why);
	armed = 0;
	return status;
}

static void check_parse(const char *input, size_t len, int status,
			const char *name)
{
	static struct request rq;
	struct guarded g;
	const char *why;
	int got = parse_guarded(&g, input, len, &rq, &why, name);

	if (got != -1) {
		/* A refusal says why, for the log line. */
		bool ok = got == status &&
			  (got == 0 || (why != NULL && why[0] != '\0'));
		if (!tap_ok(ok, "request_parse: %s -> %d", name, status)) {
			printf("# input \"");
			print_escaped(input, len);
			printf("\"\n# got %d (%s), expected %d\n", got,
			       safe(why), status);
		}
	}
	guard_free(&g);
}

/* ------------------------------------------------------------------ */
/* request_parse: what a good request parses into */

#define NOQ NULL  /* no query at all */

static const struct {
	const char *input;
	size_t len;
	enum method method;
	const char *method_name;
	const char *path;
	const char *query;
	const char *host;
	long long content_length;
	bool expect_continue;
	int minor;
	const char *name;
} field_cases[] = {
	{ S("GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_GET, "GET",
	  "/a/b", "x=1", "h", -1, false, 1, "path and query" },
	{ S("HEAD /a HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_HEAD, "HEAD",
	  "/a", NOQ, "h", -1, false, 1, "no '?': query is NULL" },
	{ S("POST /a? HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\n"),
	  METHOD_POST, "POST", "/a", "", "h", 12, false, 1,
	  "trailing '?': empty query" },
	{ S("GET /a?b?c HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_GET, "GET",
	  "/a", "b?c", "h", -1, false, 1, "query after the first '?'" },
	{ S("GET //x HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_GET, "GET",
	  "/x", NOQ, "h", -1, false, 1, "//x reduced to /x" },
	{ S("GET ////x//y HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_GET, "GET",
	  "/x//y", NOQ, "h", -1, false, 1, "leading slashes reduced to one" },
	{ S("GET //evil.example/x?q HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_GET,
	  "GET", "/evil.example/x", "q", "h", -1, false, 1,
	  "//host/x cannot become a network-path" },
	{ S("GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_GET, "GET",
	  "/a", NOQ, "h", -1, false, 1, "fragment cut from the path" },
	{ S("GET /a#f?x HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_GET, "GET",
	  "/a", "x", "h", -1, false, 1, "fragment before the query" },
	{ S("GET http://Example.com:80/p?q HTTP/1.1\r\nHost: x\r\n\r\n"),
	  METHOD_GET, "GET", "/p", "q", "Example.com:80", -1, false, 1,
	  "absolute-form: authority is the host" },
	{ S("GET http://h HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_GET, "GET",
	  "/", NOQ, "h", -1, false, 1, "absolute-form without a path" },
	{ S("GET http://h?x HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_GET, "GET",
	  "/", "x", "h", -1, false, 1, "absolute-form, query, no path" },
	{ S("GET http://h#f HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_GET, "GET",
	  "/", NOQ, "h", -1, false, 1, "absolute-form, fragment, no path" },
	{ S("GET https://h/a HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_GET, "GET",
	  "/a", NOQ, "h", -1, false, 1, "https absolute-form" },
	{ S("GET HTTP://h/a HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_GET, "GET",
	  "/a", NOQ, "h", -1, false, 1, "scheme is case-insensitive" },
	{ S("GET http://h//x HTTP/1.1\r\nHost: h\r\n\r\n"), METHOD_GET, "GET",
	  "/x", NOQ, "h", -1, false, 1, "absolute-form, //x reduced" },
	{ S("GET http://[::1]:8080/ HTTP/1.0\r\n\r\n"), METHOD_GET, "GET",
	  "/", NOQ, "[::1]:8080", -1, false, 0, "IPv6 literal authority" },
	{ S("GET / HTTP/1.0\r\n\r\n"), METHOD_GET, "GET",
	  "/", NOQ, NULL, -1, false, 0, "HTTP/1.0 without Host: host NULL" },
	{ S("GET / HTTP/1.1\r\nHost: \t a:8080 \t\r\n\r\n"), METHOD_GET, "GET",
	  "/", NOQ, "a:8080", -1, false, 1, "Host trimmed" },
	{ S("GET / HTTP/1.1\r\nhOsT: [::1]:80\r\n\r\n"), METHOD_GET, "GET",
	  "/", NOQ, "[::1]:80", -1, false, 1, "Host name in any case" },
	{ S("POST / HTTP/1.1\r\nHost: h\r\nContent-Length:  5 \r\n\r\n"),
	  METHOD_POST, "POST", "/", NOQ, "h", 5, false, 1,
	  "Content-Length with OWS" },
	{ S("POST / HTTP/1.1\r\nHost: h\r\ncontent-length:\t0\t\r\n\r\n"),
	  METHOD_POST, "POST", "/", NOQ, "h", 0, false, 1,
	  "Content-Length 0" },
	{ S("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 007\r\n\r\n"),
	  METHOD_POST, "POST", "/", NOQ, "h", 7, false, 1,
	  "Content-Length with leading zeros" },
	{ S("POST / HTTP/1.1\r\nHost: h\r\n"
	    "Content-Length: 999999999999999999\r\n\r\n"),
	  METHOD_POST, "POST", "/", NOQ, "h", 999999999999999999LL, false, 1,
	  "Content-Length of 18 digits" },
	{ S("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n"),
	  METHOD_POST, "POST", "/", NOQ, "h", -1, true, 1, "Expect" },
	{ S("POST / HTTP/1.1\r\nHost: h\r\nexpect:  100-CONTINUE \r\n\r\n"),
	  METHOD_POST, "POST", "/", NOQ, "h", -1, true, 1,
	  "Expect in other case, with OWS" },
	{ S("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continued\r\n\r\n"),
	  METHOD_POST, "POST", "/", NOQ, "h", -1, false, 1,
	  "Expect with a suffix is not 100-continue" },
	{ S("POST / HTTP/1.1\r\nHost: h\r\nX-Expect: 100-continue\r\n\r\n"),
	  METHOD_POST, "POST", "/", NOQ, "h", -1, false, 1,
	  "X-Expect is not Expect" },
	{ S("\r\n\r\nGET  \t/x\t  HTTP/1.0\n\n"), METHOD_GET, "GET",
	  "/x", NOQ, NULL, -1, false, 0, "blank lines and blank runs" },
};

static void check_fields(size_t i)
{
	static struct request rq;
	struct guarded g;
	const char *why;
	int got = parse_guarded(&g, field_cases[i].input, field_cases[i].len,
				&rq, &why, field_cases[i].name);
	if (got == -1) {
		guard_free(&g);
		return;
	}
	bool ok = got == 0 && rq.method == field_cases[i].method &&
		  same(rq.method_name, field_cases[i].method_name) &&
		  same(rq.path, field_cases[i].path) &&
		  same(rq.query, field_cases[i].query) &&
		  same(rq.host, field_cases[i].host) &&
		  rq.content_length == field_cases[i].content_length &&
		  rq.expect_continue == field_cases[i].expect_continue &&
		  rq.major == 1 && rq.minor == field_cases[i].minor;
	if (!tap_ok(ok, "request fields: %s", field_cases[i].name)) {
		printf("# status %d (%s)\n", got, safe(why));
		if (got == 0) {
			printf("# method %d/%s path %s query %s host %s\n",
			       (int)rq.method, safe(rq.method_name),
			       safe(rq.path), safe(rq.query), safe(rq.host));
			printf("# content_length %lld expect %d version %d.%d\n",
			       rq.content_length, rq.expect_continue,
			       rq.major, rq.minor);
		}
	}
	guard_free(&g);
}

/* ------------------------------------------------------------------ */
/* request_header, log_line, and exactly 100 fields */

static void check_headers(void)
{
	static const char head[] =
		"GET / HTTP/1.1\r\nHost: h\r\nX-Foo:  bar \t\r\nx-empty:\r\n"
		"X-Tab: \ta\tb\t\r\nX-Dup: 1\r\nx-dup: 2\r\n\r\n";
	static const struct {
		const char *name;
		const char *value;
	} lookups[] = {
		{ "X-Foo", "bar" },
		{ "x-foo", "bar" },
		{ "X-FOO", "bar" },
		{ "x-empty", "" },
		{ "X-Tab", "a\tb" },
		{ "X-DUP", "1" },
		{ "host", "h" },
		{ "X-Fo", NULL },
		{ "X-Foo ", NULL },
		{ "X-Foo:", NULL },
		{ "", NULL },
		{ "Missing", NULL },
	};
	static struct request rq;
	struct guarded g;
	const char *why;
	int got = parse_guarded(&g, head, sizeof head - 1, &rq, &why,
				"header lookups");
	if (got == -1) {
		guard_free(&g);
		return;
	}
	tap_ok(got == 0 && rq.n_headers == 6,
	       "request_header: request parsed with 6 fields (got %d, %u)",
	       got, rq.n_headers);
	for (size_t i = 0; i < sizeof lookups / sizeof lookups[0]; i++) {
		const char *v = got == 0 ?
			request_header(&rq, lookups[i].name) : NULL;
		if (!tap_ok(got == 0 && same(v, lookups[i].value),
			    "request_header(\"%s\")", lookups[i].name))
			printf("# got \"%s\", expected \"%s\"\n", safe(v),
			       safe(lookups[i].value));
	}
	guard_free(&g);
}

static const struct {
	const char *input;
	size_t len;
	int status;
	const char *log_line;
	const char *name;
} log_cases[] = {
	{ S("GET / HTTP/1.1\r\n" H "\r\n"), 0, "GET / HTTP/1.1", "good request" },
	{ S("GET  /\t HTTP/1.1\r\n\r\n"), 400, "GET  /\t HTTP/1.1",
	  "missing Host: blanks kept as sent" },
	{ S("GET / HTTP/2.0\r\n\r\n"), 505, "GET / HTTP/2.0", "HTTP/2.0" },
	{ S("FOO\n\n"), 400, "FOO", "one word" },
	{ S("GET /\x01 HTTP/1.1\r\n" H "\r\n"), 400, "GET /\x01 HTTP/1.1",
	  "control character" },
	{ S("\r\n\nGET /x HTTP/1.0\n\n"), 0, "GET /x HTTP/1.0",
	  "after empty lines" },
	{ S("PUT /x HTTP/1.1\r\n" H "\r\n"), 0, "PUT /x HTTP/1.1", "PUT" },
	{ S("GET / HTTP/1.1\r\nHost a\r\n\r\n"), 400, "GET / HTTP/1.1",
	  "bad header line" },
	{ S("GET http://h/p?q#f HTTP/1.1\r\n" H "\r\n"), 0,
	  "GET http://h/p?q#f HTTP/1.1", "absolute-form kept whole" },
	{ S("GET / HTTP/1.1\r\n" H "Content-Length: x\r\n\r\n"), 400,
	  "GET / HTTP/1.1", "bad Content-Length" },
};

static void check_log_line(const char *input, size_t len, int status,
			   const char *expected, const char *name)
{
	static struct request rq;
	struct guarded g;
	const char *why;
	int got = parse_guarded(&g, input, len, &rq, &why, name);
	if (got != -1 && !tap_ok(got == status &&
				 strcmp(rq.log_line, expected) == 0,
				 "log_line: %s", name)) {
		printf("# got %d \"", got);
		print_escaped(rq.log_line, strlen(rq.log_line));
		printf("\", expected %d \"%s\"\n", status, expected);
	}
	guard_free(&g);
}

/* A request line longer than log_line: cut, still terminated. */
static void check_long_log_line(void)
{
	static char buf[4096];
	static struct request rq;
	struct guarded g;
	const char *why;
	size_t len = 0;

	memcpy(buf, "GET /", 5);
	memset(buf + 5, 'a', 3000);
	len = 5 + 3000;
	len += (size_t)sprintf(buf + len, " HTTP/1.0\r\n\r\n");
	int got = parse_guarded(&g, buf, len, &rq, &why, "long log line");
	if (got != -1) {
		bool ok = got == 0 &&
			  strlen(rq.log_line) == sizeof rq.log_line - 1 &&
			  memcmp(rq.log_line, buf, sizeof rq.log_line - 1) == 0;
		if (!tap_ok(ok, "log_line: 3 KiB request line cut to %zu bytes",
			    sizeof rq.log_line - 1))
			printf("# got %d, log_line of %zu bytes\n", got,
			       strlen(rq.log_line));
	}
	guard_free(&g);
}

static void check_many_headers(unsigned n, int status)
{
	static char buf[8192];
	static struct request rq;
	struct guarded g;
	const char *why;
	size_t len = (size_t)sprintf(buf, "GET / HTTP/1.1\r\nHost: h\r\n");
	for (unsigned i = 1; i < n; i++)
		len += (size_t)sprintf(buf + len, "X-%u: v%u\r\n", i, i);
	len += (size_t)sprintf(buf + len, "\r\n");

	int got = parse_guarded(&g, buf, len, &rq, &why, "many headers");
	if (got == -1) {
		guard_free(&g);
		return;
	}
	bool ok = got == status;
	if (ok && status == 0) {
		char name[16], value[16];
		snprintf(name, sizeof name, "x-%u", n - 1);
		snprintf(value, sizeof value, "v%u", n - 1);
		ok = rq.n_headers == n && same(request_header(&rq, name), value);
	}
	if (!tap_ok(ok, "request_parse: %u header fields -> %d", n, status))
		printf("# got %d (%s), %u fields\n", got, safe(why),
		       rq.n_headers);
	guard_free(&g);
}

int main(void)
{
	size_t cap = 3 * HEAD_MAX;
	char *buf = malloc(cap);

	if (buf == NULL) {
		tap_ok(0, "malloc");
		return tap_done();
	}
	catch_faults();

	for (size_t i = 0; i < sizeof scan_cases / sizeof scan_cases[0]; i++) {
		size_t len = scan_cases[i].len;
		size_t end = scan_cases[i].end ? scan_cases[i].end : len;
		check_scan(scan_cases[i].input, len, scan_cases[i].status, end,
			   len, scan_cases[i].name);
	}
	for (size_t i = 0; i < sizeof gen_cases / sizeof gen_cases[0]; i++) {
		size_t len = build(buf, gen_cases[i].kind, gen_cases[i].n);
		size_t stop = (size_t)((long)len + gen_cases[i].stop_delta);
		check_scan(buf, len, gen_cases[i].status, len, stop,
			   gen_cases[i].name);
	}

	for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++)
		check_parse(parse_cases[i].input, parse_cases[i].len,
			    parse_cases[i].status, parse_cases[i].name);
	for (size_t i = 0; i < sizeof field_cases / sizeof field_cases[0]; i++)
		check_fields(i);
	check_headers();
	for (size_t i = 0; i < sizeof log_cases / sizeof log_cases[0]; i++)
		check_log_line(log_cases[i].input, log_cases[i].len,
			       log_cases[i].status, log_cases[i].log_line,
			       log_cases[i].name);
	check_long_log_line();
	check_many_headers(HEADER_FIELDS_MAX, 0);
	check_many_headers(HEADER_FIELDS_MAX + 1, 431);

	free(buf);
	return tap_done();
}
