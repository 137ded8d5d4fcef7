/* cgiheader_end and cgiheader_parse against their contract: the script's
 * header block (RFC 3875 6) ends at its first empty line, LF or CRLF;
 * Status gives a final status only (200..599), Location a redirect, the
 * server's own fields are dropped, and anything a client could misread is
 * 502. Inputs end at the very end of a page, so that reading one byte too
 * far faults; a fault is reported as a failed case. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cgiheader.h"
#include "guard.h"
#include "status.h"
#include "tap.h"

#define S(lit) lit, sizeof(lit) - 1

/* cgiheader_end: where the block ends (0: not yet). */
static const struct {
	const char *input;
	size_t len;
	size_t end;
	const char *name;
} end_cases[] = {
	{ S("Content-Type: text/plain\n\nbody"), 26, "LF block" },
	{ S("Content-Type: text/plain\r\n\r\nbody"), 28, "CRLF block" },
	{ S("A: 1\r\nB: 2\n\n"), 12, "mixed endings" },
	{ S("\n"), 1, "empty block, LF" },
	{ S("\r\nbody"), 2, "empty block, CRLF" },
	{ S("A: 1\n"), 0, "no empty line yet" },
	{ S("A: 1\r\n\r"), 0, "CR of the empty line only" },
	{ S("A: 1\r"), 0, "lone CR at the end" },
	{ S(""), 0, "nothing" },
	{ S("A: 1\n\nB: 2\n\n"), 6, "the first empty line ends it" },
	{ S("A: 1\r\r\n"), 0, "CR CR LF is no empty line" },
};

/* cgiheader_parse: the block and what it says. */
static const struct {
	const char *input;
	size_t len;
	int status;            /* 0 or 502 */
	int code;              /* h.status */
	const char *reason;    /* h.reason, when code */
	const char *location;  /* NULL: none */
	unsigned n;            /* fields passed on */
	const char *first;     /* "name=value" of the first one passed on */
	const char *name;
} parse_cases[] = {
	/* Friendly. */
	{ S("Content-Type: text/html\n\n"), 0, 0, NULL, NULL, 1,
	  "Content-Type=text/html", "one field" },
	{ S("Status: 404 Not Here\nContent-Type: text/plain\n\n"), 0, 404,
	  "Not Here", NULL, 1, "Content-Type=text/plain", "Status with its phrase" },
	{ S("Status: 201\r\n\r\n"), 0, 201, "Created", NULL, 0, NULL,
	  "Status without a phrase gets ours" },
	{ S("Status: 599 X\n\n"), 0, 599, "X", NULL, 0, NULL, "Status 599" },
	{ S("Status: 200 OK\n\n"), 0, 200, "OK", NULL, 0, NULL, "Status 200" },
	{ S("Location: http://example.org/\n\n"), 0, 0, NULL,
	  "http://example.org/", 0, NULL, "absolute Location" },
	{ S("Location: /local?q=1\n\n"), 0, 0, NULL, "/local?q=1", 0, NULL,
	  "local Location" },
	{ S("X-A:1\n\n"), 0, 0, NULL, NULL, 1, "X-A=1", "no blank after the colon" },
	{ S("X-A:  \t spaced\n\n"), 0, 0, NULL, NULL, 1, "X-A=spaced",
	  "blanks before the value skipped" },
	{ S("X-Empty:\n\n"), 0, 0, NULL, NULL, 1, "X-Empty=", "empty value" },
	{ S("Content-Length: 5\n\n"), 0, 0, NULL, NULL, 1, "Content-Length=5",
	  "one Content-Length passes" },
	{ S("Content-Length: 5\nContent-Length: 5\n\n"), 0, 0, NULL, NULL, 1,
	  "Content-Length=5", "the same Content-Length twice, kept once" },
	{ S("Server: evil\nDate: x\nConnection: keep-alive\nX-B: 2\n\n"), 0, 0,
	  NULL, NULL, 1, "X-B=2", "the server's own fields dropped" },
	{ S("\n"), 0, 0, NULL, NULL, 0, NULL, "empty block" },

	/* Hostile: what a client would misread. */
	{ S("Status: 100 Continue\n\n"), 502, 0, NULL, NULL, 0, NULL,
	  "Status 100 is interim, not final" },
	{ S("Status: 101 Switching Protocols\n\n"), 502, 0, NULL, NULL, 0, NULL,
	  "Status 101" },
	{ S("Status: 199\n\n"), 502, 0, NULL, NULL, 0, NULL, "Status 199" },
	{ S("Status: 099\n\n"), 502, 0, NULL, NULL, 0, NULL, "Status 099" },
	{ S("Status: 600\n\n"), 502, 0, NULL, NULL, 0, NULL, "Status 600" },
	{ S("Status: 20\n\n"), 502, 0, NULL, NULL, 0, NULL, "two digits" },
	{ S("Status: 2000\n\n"), 502, 0, NULL, NULL, 0, NULL, "four digits" },
	{ S("Status: +20\n\n"), 502, 0, NULL, NULL, 0, NULL, "a sign" },
	{ S("Status:  200\n\n"), 0, 200, "OK", NULL, 0, NULL,
	  "blanks before the code are skipped like any value's" },
	{ S("Status: 200x\n\n"), 502, 0, NULL, NULL, 0, NULL, "junk after the code" },
	{ S("Status: abc\n\n"), 502, 0, NULL, NULL, 0, NULL, "not a number" },
	{ S("Status:\n\n"), 502, 0, NULL, NULL, 0, NULL, "empty Status" },
	{ S("Transfer-Encoding: chunked\n\n"), 502, 0, NULL, NULL, 0, NULL,
	  "Transfer-Encoding" },
	{ S("Content-Length: 5\nTransfer-Encoding: chunked\n\n"), 502, 0, NULL,
	  NULL, 0, NULL, "Content-Length with Transfer-Encoding" },
	{ S("Content-Length: 5\nContent-Length: 6\n\n"), 502, 0, NULL, NULL, 0,
	  NULL, "two Content-Lengths that disagree" },
	{ S("Content-Length: 05\nContent-Length: 5\n\n"), 0, 0, NULL, NULL, 1,
	  "Content-Length=05", "two Content-Lengths of one value" },
	{ S("Content-Length: -1\n\n"), 502, 0, NULL, NULL, 0, NULL,
	  "negative Content-Length" },
	{ S("Content-Length: 1,1\n\n"), 502, 0, NULL, NULL, 0, NULL,
	  "a list as Content-Length" },
	{ S("Content-Length: 99999999999999999999\n\n"), 502, 0, NULL, NULL, 0,
	  NULL, "Content-Length overflow" },
	{ S("Content-Length:\n\n"), 502, 0, NULL, NULL, 0, NULL,
	  "empty Content-Length" },
	{ S("no colon here\n\n"), 502, 0, NULL, NULL, 0, NULL, "no colon" },
	{ S(": value\n\n"), 502, 0, NULL, NULL, 0, NULL, "empty name" },
	{ S("Bad Name: v\n\n"), 502, 0, NULL, NULL, 0, NULL, "space in the name" },
	{ S("Bad(Name): v\n\n"), 502, 0, NULL, NULL, 0, NULL, "separator in the name" },
	{ S("X-A : v\n\n"), 502, 0, NULL, NULL, 0, NULL,
	  "space before the colon" },
	{ S("X-A: a\rb\n\n"), 502, 0, NULL, NULL, 0, NULL, "lone CR in a value" },
	{ S("X-A: a\x01" "b\n\n"), 502, 0, NULL, NULL, 0, NULL,
	  "control character in a value" },
	{ S("X-A: a\x7f" "b\n\n"), 502, 0, NULL, NULL, 0, NULL, "DEL in a value" },
	{ S("X-A: a\0b\n\n"), 0, 0, NULL, NULL, 1, "X-A=a",
	  "NUL ends the value (the rest is never sent)" },
	{ S(" X-A: folded\n\n"), 502, 0, NULL, NULL, 0, NULL,
	  "a line starting with a blank" },
	{ S("\x80X: v\n\n"), 502, 0, NULL, NULL, 0, NULL, "8-bit name" },
};

static void check_end(size_t i)
{
	struct guarded g;
	char *buf = guard_copy(&g, end_cases[i].input, end_cases[i].len);
	if (buf == NULL) {
		tap_ok(0, "cgiheader_end: %s: mmap failed", end_cases[i].name);
		return;
	}
	if (sigsetjmp(fault_env, 1)) {
		tap_ok(0, "cgiheader_end: %s: memory fault", end_cases[i].name);
		guard_free(&g);
		return;
	}
	armed = 1;
	size_t got = cgiheader_end(buf, end_cases[i].len);
	armed = 0;
	if (!tap_ok(got == end_cases[i].end, "cgiheader_end: %s -> %zu",
		    end_cases[i].name, end_cases[i].end))
		printf("# got %zu\n", got);
	guard_free(&g);
}

static void check_parse(size_t i)
{
	struct guarded g;
	struct cgi_header_block h;
	const char *why = NULL;
	char *buf = guard_copy(&g, parse_cases[i].input, parse_cases[i].len);
	if (buf == NULL) {
		tap_ok(0, "cgiheader_parse: %s: mmap failed", parse_cases[i].name);
		return;
	}
	if (sigsetjmp(fault_env, 1)) {
		tap_ok(0, "cgiheader_parse: %s: memory fault", parse_cases[i].name);
		guard_free(&g);
		return;
	}
	armed = 1;
	int got = cgiheader_parse(buf, parse_cases[i].len, &h, &why);
	armed = 0;
	bool ok = got == parse_cases[i].status;
	if (ok && got)
		ok = why != NULL;
	if (ok && !got) {
		char first[256] = "";
		if (h.n)
			snprintf(first, sizeof first, "%s=%s", h.names[0], h.values[0]);
		ok = h.status == parse_cases[i].code &&
			(!h.status || strcmp(h.reason, parse_cases[i].reason) == 0) &&
			((h.location == NULL && parse_cases[i].location == NULL) ||
			 (h.location && parse_cases[i].location &&
			  strcmp(h.location, parse_cases[i].location) == 0)) &&
			h.n == parse_cases[i].n &&
			(!h.n || strcmp(first, parse_cases[i].first) == 0);
		if (!ok)
			printf("# status %d reason '%s' location '%s' n %u first '%s'\n",
			       h.status, h.reason, h.location ? h.location : "(none)",
			       h.n, first);
	}
	if (!tap_ok(ok, "cgiheader_parse: %s -> %d", parse_cases[i].name,
		    parse_cases[i].status))
		printf("# got %d (%s)\n", got, why ? why : "no reason");
	guard_free(&g);
}

/* More fields than can be passed on is a broken gateway answer, not a
 * silently shortened one. */
static void check_too_many(void)
{
	static char block[SCRIPT_FIELDS_MAX * 16 + 64];
	size_t len = 0;
	for (unsigned i = 0; i <= SCRIPT_FIELDS_MAX; i++)
		len += (size_t)snprintf(block + len, sizeof block - len, "X-%u: v\n", i);
	block[len++] = '\n';
	struct cgi_header_block h;
	const char *why = NULL;
	char copy[sizeof block];
	memcpy(copy, block, len);
	tap_ok(cgiheader_parse(copy, len, &h, &why) == STATUS_BAD_GATEWAY,
	       "cgiheader_parse: %d fields -> 502", SCRIPT_FIELDS_MAX + 1);
	/* Exactly the bound passes: drop the last field. */
	size_t cut = len - 1;
	while (cut > 0 && block[cut - 1] != '\n')
		cut--;
	cut--;
	while (cut > 0 && block[cut - 1] != '\n')
		cut--;
	memcpy(copy, block, cut);
	copy[cut] = '\n';
	tap_ok(cgiheader_parse(copy, cut + 1, &h, &why) == 0 &&
	       h.n == SCRIPT_FIELDS_MAX,
	       "cgiheader_parse: exactly %d fields pass", SCRIPT_FIELDS_MAX);
}

int main(void)
{
	catch_faults();
	for (size_t i = 0; i < sizeof end_cases / sizeof *end_cases; i++)
		check_end(i);
	for (size_t i = 0; i < sizeof parse_cases / sizeof *parse_cases; i++)
		check_parse(i);
	check_too_many();
	return tap_done();
}
