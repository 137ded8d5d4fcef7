/* Bounded strings and decimal numbers built without printf: in musl a
 * snprintf of "%s" or "%s%s" costs about a thousand instructions, and a
 * CGI request made a dozen of them before its script ran. Each string
 * helper truncates to cap - 1 bytes and NUL-terminates, as snprintf does
 * (cap > 0). */
#ifndef CGIHANDLERD_TEXT_H
#define CGIHANDLERD_TEXT_H

#include <stddef.h>
#include <string.h>

/* The first n bytes of src at most (fewer at a NUL), after dst[at];
 * returns the new length. */
static inline size_t text_append(char *dst, size_t cap, size_t at,
				 const char *src, size_t n)
{
	if (at >= cap)
		return at;
	n = strnlen(src, n);
	if (n > cap - 1 - at)
		n = cap - 1 - at;
	memcpy(dst + at, src, n);
	dst[at + n] = '\0';
	return at + n;
}

/* snprintf(dst, cap, "%s", src) */
static inline size_t text_copy(char *dst, size_t cap, const char *src)
{
	return text_append(dst, cap, 0, src, cap - 1);
}

/* snprintf(dst, cap, "%s%s", a, b) */
static inline size_t text_join(char *dst, size_t cap, const char *a, const char *b)
{
	size_t at = text_copy(dst, cap, a);
	return text_append(dst, cap, at, b, cap - 1 - at);
}

/* Room for any long long in decimal: a sign, 19 digits, the NUL. */
#define TEXT_DECIMAL_MAX 21

/* snprintf(buf, TEXT_DECIMAL_MAX, "%lld", n); returns the length. */
static inline size_t text_decimal(char buf[TEXT_DECIMAL_MAX], long long n)
{
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n :
		(unsigned long long)n;
	char digits[TEXT_DECIMAL_MAX];
	size_t i = sizeof digits;
	digits[--i] = '\0';
	do {
		digits[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (n < 0)
		digits[--i] = '-';
	memcpy(buf, digits + i, sizeof digits - i);
	return sizeof digits - i - 1;
}

#endif
