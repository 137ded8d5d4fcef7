/* Character classes and case folding in ASCII, as HTTP defines them
 * (RFC 9110 5.1: field names are case-insensitive in ASCII only). Pure,
 * inline, no locale, no I/O.
 *
 * Why not <ctype.h> and strcasecmp: their answers follow the locale, and
 * in a dynamically linked build every distinct libc function a request
 * calls costs one lazy symbol binding (500 to 700 instructions in ld.so,
 * measured: a noticeable part of a request that is a whole process). */
#ifndef CGIHANDLERD_ASCII_H
#define CGIHANDLERD_ASCII_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline bool ascii_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline bool ascii_is_alpha(unsigned char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26;
}

static inline bool ascii_is_alnum(unsigned char c)
{
	return ascii_is_alpha(c) || ascii_is_digit(c);
}

static inline bool ascii_is_xdigit(unsigned char c)
{
	return ascii_is_digit(c) || (unsigned char)((c | 0x20) - 'a') < 6;
}

static inline unsigned char ascii_to_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

static inline unsigned char ascii_to_upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c & ~0x20) : c;
}

/* RFC 9110 5.6.2 tchar: what a token (a method, a field name, a coding)
 * is made of. */
static inline bool ascii_is_tchar(unsigned char c)
{
	if (ascii_is_alnum(c))
		return true;
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'': case '*':
	case '+': case '-': case '.': case '^': case '_': case '`': case '|':
	case '~':
		return true;
	default:
		return false;
	}
}

/* How many decimal digits s starts with (strspn(s, "0123456789")). */
static inline size_t ascii_digits(const char *s)
{
	size_t n = 0;
	while (ascii_is_digit((unsigned char)s[n]))
		n++;
	return n;
}

/* strncmp(s, prefix, strlen(prefix)) == 0, without a second pass. */
static inline bool ascii_starts_with(const char *s, const char *prefix)
{
	while (*prefix != '\0')
		if (*s++ != *prefix++)
			return false;
	return true;
}

/* strncasecmp in the C locale: the sign orders as strcasecmp's does. */
static inline int ascii_ncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;
	for (size_t i = 0; i < n; i++) {
		int d = ascii_to_lower(x[i]) - ascii_to_lower(y[i]);
		if (d != 0 || x[i] == '\0')
			return d;
	}
	return 0;
}

/* strcasecmp in the C locale. Equal bytes are passed without folding:
 * the listing's sort calls this n log n times on names that share long
 * prefixes. */
static inline int ascii_casecmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;
	for (;; x++, y++) {
		if (*x == *y) {
			if (*x == '\0')
				return 0;
			continue;
		}
		int d = ascii_to_lower(*x) - ascii_to_lower(*y);
		if (d != 0)
			return d;
	}
}

/* Whether the 8 bytes at p hold a CR or an LF: a byte of w is one when
 * that byte of w ^ CRs or of w ^ LFs is zero, which the classic test
 * (x - 0x01..) & ~x & 0x80.. tells exactly. */
static inline bool ascii_word_has_line_end(const char *p)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t w;
	memcpy(&w, p, 8);
	uint64_t cr = w ^ (ones * '\r'), lf = w ^ (ones * '\n');
	return (((cr - ones) & ~cr) | ((lf - ones) & ~lf)) & highs;
}

/* Whether p[0..n) holds a CR or an LF, a word at a time (the last word
 * overlapping the one before it). For the response fields, whose values
 * almost never hold one. */
static inline bool ascii_has_line_end(const char *p, size_t n)
{
	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			if (p[i] == '\r' || p[i] == '\n')
				return true;
		return false;
	}
	for (size_t i = 0; i + 8 < n; i += 8)
		if (ascii_word_has_line_end(p + i))
			return true;
	return ascii_word_has_line_end(p + n - 8);
}

#endif
