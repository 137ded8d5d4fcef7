/* Bounded strings built without printf: in musl a snprintf of "%s" or
 * "%s%s" costs about a thousand instructions, and a CGI request made a
 * dozen of them before its script ran. Each truncates to cap - 1 bytes
 * and NUL-terminates, as snprintf does (cap > 0). */
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

#endif
