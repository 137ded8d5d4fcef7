/* guess_type against the answers of Python's SimpleHTTPRequestHandler for
 * the same names. Only types that Python's built-in map and the usual
 * /etc/mime.types agree on are used, so that the expectations hold on any
 * build machine; tests/unit/mime-vs-python.py checks the whole table. */
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "mime.h"
#include "tap.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))
#define OCTET "application/octet-stream"
#define NAME_MAX_TEST 4096

static const struct {
	const char *input;
	const char *expected;
	const char *name;
} cases[] = {
	/* Friendly. */
	{ "index.html", "text/html", "plain .html" },
	{ "style.css", "text/css", ".css" },
	{ "logo.png", "image/png", ".png" },
	{ "notes.txt", "text/plain", ".txt" },
	{ "data.json", "application/json", ".json" },
	{ "/srv/www/doc/paper.pdf", "application/pdf", "full path" },
	{ "x.tar.gz", "application/gzip", ".tar.gz is gzip (extensions_map)" },

	/* No extension at all. */
	{ "", OCTET, "empty name" },
	{ "README", OCTET, "no dot" },
	{ "/", OCTET, "root" },
	{ "a/b/c", OCTET, "path, no dot" },

	/* Dots: posixpath.splitext's rules. */
	{ ".", OCTET, "single dot" },
	{ "..", OCTET, "dot dot" },
	{ "...", OCTET, "three dots" },
	{ "a.", OCTET, "trailing dot: extension is \".\"" },
	{ "a..", OCTET, "two trailing dots" },
	{ "html.", OCTET, "trailing dot after a type name" },
	{ ".html", OCTET, "dotfile is not an extension" },
	{ "..html", OCTET, "leading dots only" },
	{ "...html", OCTET, "three leading dots" },
	{ ".a.html", "text/html", "dotfile with extension" },
	{ "..a.html", "text/html", "leading dots, then extension" },
	{ "a....html", "text/html", "many dots before extension" },
	{ "a.b.c.d.e.f.g.png", "image/png", "many extensions, last wins" },
	{ "x.png.txt", "text/plain", "double extension, last wins" },
	{ "x.html.", OCTET, "extension then trailing dot" },

	/* Directories with dots. */
	{ "dir.html/", OCTET, "trailing slash after a dotted directory" },
	{ "dir.html/file", OCTET, "dotted directory, plain file" },
	{ "a.b/.c", OCTET, "dotted directory, dotfile" },
	{ "a.png/.html", OCTET, "dotted directory, dotfile named like a type" },
	{ "a.png/..html", OCTET, "dotted directory, leading dots" },
	{ "a.png/b.html", "text/html", "dotted directory, extension" },
	{ "/.png", OCTET, "dotfile at root" },
	{ "./x.css", "text/css", "dot directory" },
	{ "../x.css", "text/css", "dot-dot directory" },
	{ "x.css/..", OCTET, "ends in .. after a dotted component" },

	/* Case: extensions_map as is, then lower-cased; types_map lower. */
	{ "X.HTML", "text/html", "upper-case extension" },
	{ "x.HtMl", "text/html", "mixed-case extension" },
	{ "x.PNG", "image/png", "upper-case image" },
	{ "x.GZ", "application/gzip", ".GZ via extensions_map lower-cased" },
	{ "x.Z", OCTET, ".Z is octet-stream in extensions_map" },
	{ "x.z", OCTET, ".z: not .Z, and no type" },
	{ "x.tar.Z", OCTET, ".Z wins before .tar is looked at" },
	{ "x.BZ2", "application/x-bzip2", ".BZ2 lower-cased" },
	{ "x.Xz", "application/x-xz", ".Xz lower-cased" },

	/* suffix_map, then encodings_map. */
	{ "x.tgz", "application/x-tar", ".tgz is .tar.gz, gzip stripped" },
	{ "x.TGZ", "application/x-tar", "suffix_map lookup is lower-cased" },
	{ "x.taz", "application/x-tar", ".taz" },
	{ "x.tz", "application/x-tar", ".tz" },
	{ "x.tbz2", "application/x-tar", ".tbz2" },
	{ "x.txz", "application/x-tar", ".txz" },
	{ "x.svgz", "image/svg+xml", ".svgz is .svg.gz" },
	{ "x.SvGz", "image/svg+xml", "mixed-case .svgz" },
	{ "x..tgz", "application/x-tar", "dot before .tgz" },
	{ ".tgz", OCTET, "dotfile named .tgz" },
	{ "..tgz", OCTET, "leading dots, .tgz" },
	{ "a.b/.tgz", OCTET, "dotted directory, dotfile .tgz" },
	{ "x.tar.br", "application/x-tar", ".br stripped, then .tar" },
	{ "x.html.br", "text/html", ".br stripped, then .html" },
	{ "x.html.BR", OCTET, "encodings_map is case sensitive" },
	{ "x.br", OCTET, ".br alone leaves no extension" },
	{ ".br", OCTET, "dotfile .br" },
	{ "..br", OCTET, "leading dots, .br" },
	{ "x.html.gz", "application/gzip", ".gz is the type, not stripped" },

	/* Bytes that are not a plain extension. */
	{ "x.\xe2\x84\xaash", "text/plain", "Kelvin sign lowers to k: .ksh" },
	{ "x.\xe2\x84\xaaSH", "text/plain", "Kelvin sign, upper-case rest" },
	{ "x.\xe2\x84", OCTET, "truncated UTF-8 sequence" },
	{ "x.\xe2\x84\xab", OCTET, "Angstrom sign does not lower to ASCII" },
	{ "x.ht\xffml", OCTET, "0xff in extension" },
	{ "x.\xc3\x89", OCTET, "non-ASCII extension" },
	{ "x.html\n", OCTET, "newline after extension" },
	{ "x.html ", OCTET, "space after extension" },
	{ "x.html\r", OCTET, "CR after extension" },
	{ "x.h\x01tml", OCTET, "control byte in extension" },
	{ "x.*", OCTET, "star extension" },
	{ "x.html;.png", "image/png", "semicolon: last dot decides" },
	{ "x.png?x=.html", "text/html", "query-looking: last dot decides" },
	{ "a:b.html", "text/html", "colon is no URL scheme here" },
	{ "data:text/html,x", OCTET, "data: name is no data URL" },
	{ "data:,x.css", "text/css", "data: name, extension decides" },
	{ "x.htmlhtmlhtmlhtmlhtmlhtmlhtmlhtmlhtml", OCTET,
	  "extension longer than any key" },
};

/* Names of NAME_MAX_TEST bytes: head, then unit repeated, then end. */
static const struct {
	const char *head;
	const char *unit;
	const char *end;
	const char *expected;
	const char *name;
} long_cases[] = {
	{ "", "a", ".html", "text/html", "4 KiB name, .html" },
	{ "", ".", "", OCTET, "4 KiB of dots" },
	{ "", ".", "x.css", "text/css", "4 KiB of dots, then x.css" },
	{ "", "a.", "", OCTET, "4 KiB of a., trailing dot" },
	{ "", "a.", "gz", "application/gzip", "4 KiB of a., then gz" },
	{ "", "/", "x.png", "image/png", "4 KiB of slashes" },
	{ "", "d.d/", "x", OCTET, "4 KiB of dotted directories" },
	{ "", "x.png/", ".html", OCTET, "dotted directories, dotfile" },
	{ "x.", "H", "", OCTET, "4 KiB extension" },
	{ "x.", "\xe2\x84\xaa", "", OCTET, "4 KiB extension of Kelvin signs" },
	{ "x.", "\xff", "", OCTET, "4 KiB extension of 0xff" },
	{ "", "a", ".tgz", "application/x-tar", "4 KiB name, .tgz" },
	{ "", ".", "tgz", OCTET, "4 KiB of dots, then tgz" },
	{ "", ".", "br", OCTET, "4 KiB of dots, then br" },
	{ "", "a", ".", OCTET, "4 KiB name, trailing dot" },
};

/* Runs one case with the name's NUL as the last byte before an unmapped
 * page, so that reading past it faults. */
static void check(const char *input, size_t len, const char *expected,
		  const char *name)
{
	struct guarded g;
	const char *in = guard_copy(&g, input, len + 1);
	const char *got;

	if (in == NULL) {
		tap_ok(0, "%s: mmap failed", name);
		return;
	}
	got = guess_type(in);
	if (!tap_ok(got != NULL && strcmp(got, expected) == 0, "%s", name))
		printf("# got \"%s\", expected \"%s\"\n",
		       got == NULL ? "(null)" : got, expected);
	guard_free(&g);
}

int main(void)
{
	static char buf[NAME_MAX_TEST + 1];

	for (size_t i = 0; i < NITEMS(cases); i++)
		check(cases[i].input, strlen(cases[i].input),
		      cases[i].expected, cases[i].name);

	for (size_t i = 0; i < NITEMS(long_cases); i++) {
		size_t head = strlen(long_cases[i].head);
		size_t unit = strlen(long_cases[i].unit);
		size_t end = strlen(long_cases[i].end);
		size_t len = head;

		memcpy(buf, long_cases[i].head, head);
		while (len + unit <= NAME_MAX_TEST - end) {
			memcpy(buf + len, long_cases[i].unit, unit);
			len += unit;
		}
		memcpy(buf + len, long_cases[i].end, end);
		len += end;
		buf[len] = '\0';
		check(buf, len, long_cases[i].expected, long_cases[i].name);
	}
	return tap_done();
}
