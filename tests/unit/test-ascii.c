/* ascii.h against libc in the C locale, which is what it replaces: every
 * byte through each class, case folding both ways, and the comparisons'
 * signs on pairs of every two bytes, so that a sort or a prefix test
 * gives what libc's would. tchar against RFC 9110 5.6.2's list. */
#include <ctype.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ascii.h"
#include "tap.h"

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* One check per class over all 256 bytes: the first byte that differs is
 * named. */
static void classes(void)
{
	static const struct {
		const char *name;
		bool (*ours)(unsigned char);
		int (*libc)(int);
	} table[] = {
		{ "digit", ascii_is_digit, isdigit },
		{ "alpha", ascii_is_alpha, isalpha },
		{ "alnum", ascii_is_alnum, isalnum },
		{ "xdigit", ascii_is_xdigit, isxdigit },
	};
	for (size_t k = 0; k < sizeof table / sizeof *table; k++) {
		int bad = -1;
		for (int c = 0; c < 256 && bad < 0; c++)
			if (table[k].ours((unsigned char)c) != (table[k].libc(c) != 0))
				bad = c;
		tap_ok(bad < 0, "is_%s agrees with libc on all bytes (first mismatch %d)",
		       table[k].name, bad);
	}
	int bad_lower = -1, bad_upper = -1;
	for (int c = 0; c < 256; c++) {
		if (bad_lower < 0 && ascii_to_lower((unsigned char)c) != tolower(c))
			bad_lower = c;
		if (bad_upper < 0 && ascii_to_upper((unsigned char)c) != toupper(c))
			bad_upper = c;
	}
	tap_ok(bad_lower < 0, "to_lower agrees with tolower (first mismatch %d)", bad_lower);
	tap_ok(bad_upper < 0, "to_upper agrees with toupper (first mismatch %d)", bad_upper);
}

static void tchars(void)
{
	static const char specials[] = "!#$%&'*+-.^_`|~";
	int bad = -1;
	for (int c = 0; c < 256 && bad < 0; c++) {
		bool want = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			(c >= 'A' && c <= 'Z') || (c != 0 && strchr(specials, c));
		if (ascii_is_tchar((unsigned char)c) != want)
			bad = c;
	}
	tap_ok(bad < 0, "is_tchar is RFC 9110's tchar (first mismatch %d)", bad);
	tap_ok(!ascii_is_tchar(' ') && !ascii_is_tchar(':') && !ascii_is_tchar('"') &&
	       !ascii_is_tchar(0x7f) && !ascii_is_tchar(0x80) && !ascii_is_tchar('\0'),
	       "space, colon, quote, DEL, 0x80 and NUL are not tchars");
}

/* Every pair of bytes, each followed by one more byte or the end, so that
 * both a difference and an end are met in each position. */
static void comparisons(void)
{
	int bad_cmp = -1, bad_ncmp = -1;
	for (int a = 1; a < 256; a++) {
		for (int b = 1; b < 256; b++) {
			char x[3] = { (char)a, 'q', '\0' }, y[3] = { (char)b, '\0', '\0' };
			if (bad_cmp < 0 && sign(ascii_casecmp(x, y)) != sign(strcasecmp(x, y)))
				bad_cmp = a * 256 + b;
			if (bad_ncmp < 0 && sign(ascii_ncasecmp(x, y, 1)) !=
					sign(strncasecmp(x, y, 1)))
				bad_ncmp = a * 256 + b;
		}
	}
	tap_ok(bad_cmp < 0, "casecmp's sign is strcasecmp's on every byte pair (first %d)",
	       bad_cmp);
	tap_ok(bad_ncmp < 0, "ncasecmp's sign is strncasecmp's on every byte pair (first %d)",
	       bad_ncmp);
	tap_ok(ascii_casecmp("Content-Length", "content-length") == 0,
	       "field names equal in any case");
	tap_ok(ascii_casecmp("Host", "Hostile") < 0 && ascii_casecmp("Hostile", "Host") > 0,
	       "a prefix orders first");
	tap_ok(ascii_ncasecmp("http://x", "HTTPS", 4) == 0 &&
	       ascii_ncasecmp("http", "HTTPS", 5) != 0, "ncasecmp stops at n, and at an end");
	tap_ok(ascii_ncasecmp("abc", "xyz", 0) == 0, "ncasecmp of 0 bytes is equal");
	/* 0xC4 is not 'D' folded: bytes above ASCII stay themselves */
	tap_ok(ascii_casecmp("\xc4", "\xe4") != 0, "no folding above ASCII");
}

static void prefixes_and_digits(void)
{
	static const struct {
		const char *s, *prefix;
		bool want;
	} cases[] = {
		{ "HTTP/1.1", "HTTP/", true },
		{ "HTTP", "HTTP/", false },
		{ "http/1.1", "HTTP/", false },
		{ "", "", true },
		{ "x", "", true },
		{ "", "x", false },
		{ "/cgi-bin/x", "/cgi-bin", true },
		{ "/cgi", "/cgi-bin", false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		tap_ok(ascii_starts_with(cases[i].s, cases[i].prefix) == cases[i].want,
		       "starts_with(\"%s\", \"%s\") is %s", cases[i].s, cases[i].prefix,
		       cases[i].want ? "true" : "false");
	static const struct {
		const char *s;
		size_t want;
	} digits[] = {
		{ "", 0 }, { "x1", 0 }, { "1", 1 }, { "200 OK", 3 },
		{ "12345678901234567890x", 20 }, { "\xb9", 0 }, /* superscript 1 in Latin-1 */
	};
	for (size_t i = 0; i < sizeof digits / sizeof *digits; i++)
		tap_ok(ascii_digits(digits[i].s) == digits[i].want &&
		       ascii_digits(digits[i].s) == strspn(digits[i].s, "0123456789"),
		       "digits of case %zu: %zu, as strspn", i, digits[i].want);
}

static bool naive_line_end(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == '\r' || p[i] == '\n')
			return true;
	return false;
}

/* Each of the 256 bytes at each position of strings of 0 to 24 bytes
 * (over the words and the tail), in backgrounds of other bytes. */
static void line_ends(void)
{
	char buf[24];
	int bad = -1;
	for (size_t n = 0; n <= sizeof buf && bad < 0; n++)
		for (size_t at = 0; at < n && bad < 0; at++)
			for (int background = 0; background < 256 && bad < 0; background += 37)
				for (int c = 0; c < 256 && bad < 0; c++) {
					memset(buf, background, n);
					buf[at] = (char)c;
					if (ascii_has_line_end(buf, n) != naive_line_end(buf, n))
						bad = c;
				}
	tap_ok(bad < 0, "has_line_end agrees with a byte loop everywhere (first mismatch %d)",
	       bad);
	tap_ok(ascii_has_line_end("Thu, 03 Dec 2026 14:30:41 GMT\n", 30) &&
	       !ascii_has_line_end("Thu, 03 Dec 2026 14:30:41 GMT\n", 29) &&
	       ascii_has_line_end("x\rxxxxxxxxx", 10) && !ascii_has_line_end("", 0),
	       "a line end found in a word and in the tail, none past n");
}

int main(void)
{
	setlocale(LC_ALL, "C");
	classes();
	tchars();
	comparisons();
	prefixes_and_digits();
	line_ends();
	return tap_done();
}
