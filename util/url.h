/* URL paths: percent-decoding and the one canonical form of a request path
 * that both the CGI decision and the file lookup use. Pure: no I/O. */
#ifndef CGIHANDLERD_URL_H
#define CGIHANDLERD_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "ascii.h"
#include "bounds.h"

#define URL_COMPONENTS_MAX (URL_PATH_MAX / 2)

/* A request path decoded once and collapsed: "/a/./b/../c//d/" becomes the
 * components {"a", "c", "d"} with trailing_slash set. */
struct url_path {
	char buf[URL_PATH_MAX + 1];     /* components, each NUL-terminated */
	const char *component[URL_COMPONENTS_MAX];
	unsigned n;
	/* As _url_collapse_path has it, for the CGI decision and PATH_INFO:
	 * the decoded path ends in '/', "/." or "/..", or names the root. */
	bool trailing_slash;
	/* As translate_path has it, for files and directories: the path as
	 * sent, trailing blanks aside, ends in '/' ("/a%2f" and "/a/." do
	 * not). */
	bool slash_sent;
	/* The same, joined as a relative file-system path ("a/c/d"), or "."
	 * for the root. No leading slash, so it opens beneath the root fd. */
	char fs[URL_PATH_MAX + 2];
};

/* The value of one hex digit (either case), or -1. */
int url_hex_digit(unsigned char c);

/* Decodes %XX escapes of src[0..len) into dst (at most cap-1 bytes, NUL
 * added). A '%' not followed by two hex digits is kept as is, as Python's
 * unquote keeps it. Returns the decoded length, or (size_t)-1 if it does
 * not fit. */
size_t url_decode(char *dst, size_t cap, const char *src, size_t len);

/* Python's translate_path and _url_collapse_path in one: decode the path
 * (query and fragment already gone), split on '/', drop empty and "."
 * components, let ".." remove the one before it. Deliberately differs from
 * Python: ".." above the root stays at the root (RFC 3986 5.2.4) where
 * _url_collapse_path raised IndexError, the path is decoded exactly once,
 * and a decoded NUL or control character is refused (400), not passed on.
 * Returns 0, 400 or 414. */
int url_canonical_path(const char *raw, struct url_path *out);

/* The canonical path as a URL path with a leading '/': components first
 * through first+count-1, joined. Returns bytes written (NUL added), or
 * (size_t)-1 if cap is too small. */
size_t url_join(const struct url_path *p, unsigned first, unsigned count,
		char *dst, size_t cap);

/* The file-system path of components [0, count), relative so that it
 * opens beneath the root fd: "a/b", or "." for none. Returns bytes written
 * (NUL added), or (size_t)-1 if cap is too small. */
size_t url_fs_path(const struct url_path *p, unsigned count, char *dst,
		   size_t cap);

/* Whether c stands for itself in a URL path as Python's
 * urllib.parse.quote(safe='/') writes one: A-Z a-z 0-9 _ . - ~ /. None of
 * them is one HTML escapes, so a name made of them reads the same in an
 * href and in the page's text. */
static inline bool url_path_safe(unsigned char c)
{
	return ascii_is_alnum(c) || c == '_' || c == '.' || c == '-' ||
		c == '~' || c == '/';
}

/* Percent-encodes src for use in a URL path, as Python's
 * urllib.parse.quote(safe='/'): every byte but url_path_safe's. Returns
 * bytes written (NUL added), or (size_t)-1 if it does not fit. */
size_t url_encode_path(char *dst, size_t cap, const char *src);

#endif
