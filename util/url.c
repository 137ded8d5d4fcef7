#include "url.h"

#include <string.h>

#include "status.h"

int url_hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t url_decode(char *dst, size_t cap, const char *src, size_t len)
{
	size_t out = 0;
	if (cap == 0)
		return (size_t)-1;
	for (size_t i = 0; i < len; i++) {
		if (out + 1 >= cap)
			return (size_t)-1;
		unsigned char c = (unsigned char)src[i];
		if (c == '%' && i + 2 < len) {
			int hi = url_hex_digit((unsigned char)src[i + 1]);
			int lo = hi < 0 ? -1 : url_hex_digit((unsigned char)src[i + 2]);
			if (lo >= 0) {
				dst[out++] = (char)(hi * 16 + lo);
				i += 2;
				continue;
			}
		}
		dst[out++] = (char)c;
	}
	dst[out] = '\0';
	return out;
}

int url_canonical_path(const char *raw, struct url_path *out)
{
	out->n = 0;
	out->trailing_slash = false;
	out->slash_sent = false;
	size_t raw_len = strlen(raw);
	size_t len = url_decode(out->buf, sizeof out->buf, raw, raw_len);
	if (len == (size_t)-1)
		return STATUS_URI_TOO_LONG;
	/* Refused, not passed on: a NUL would cut the path short where the
	 * kernel reads it, and control bytes have no business in a name. */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out->buf[i];
		if (c < 0x20 || c == 0x7f)
			return STATUS_BAD_REQUEST;
	}
	/* translate_path: trailing_slash = path.rstrip().endswith('/'),
	 * taken from the path before decoding. */
	size_t end = raw_len;
	while (end > 0 && (raw[end - 1] == ' ' || raw[end - 1] == '\t'))
		end--;
	out->slash_sent = end > 0 && raw[end - 1] == '/';
	/* _url_collapse_path: the decoded path ends in '/', "/." or "/..". */
	out->trailing_slash = len > 0 && out->buf[len - 1] == '/';

	char *p = out->buf;
	while (p < out->buf + len) {
		char *slash = memchr(p, '/', (size_t)(out->buf + len - p));
		char *stop = slash ? slash : out->buf + len;
		*stop = '\0';
		size_t n = (size_t)(stop - p);
		bool last = stop == out->buf + len;
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* empty and "." components name nothing */
			out->trailing_slash |= last && n == 1;
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (out->n > 0)
				out->n--;
			out->trailing_slash |= last;
		} else {
			if (out->n == URL_COMPONENTS_MAX)
				return STATUS_URI_TOO_LONG;
			out->component[out->n++] = p;
		}
		p = stop + 1;
	}
	if (out->n == 0)
		out->trailing_slash = true;

	if (url_fs_path(out, out->n, out->fs, sizeof out->fs) == (size_t)-1)
		return STATUS_URI_TOO_LONG;
	return 0;
}

/* Components first..first+count joined by '/', led by one if lead. The
 * bound is the led form's either way, so that a file-system path fits
 * wherever the URL path does. */
static size_t join(const struct url_path *p, unsigned first, unsigned count,
		   char *dst, size_t cap, bool lead)
{
	size_t len = 0;
	if (cap == 0)
		return (size_t)-1;
	unsigned last = first > p->n ? first :
		count > p->n - first ? p->n : first + count;
	for (unsigned i = first; i < last; i++) {
		size_t n = strlen(p->component[i]);
		bool slash = lead || i > first;
		if (len + !lead + slash + n + 1 > cap)
			return (size_t)-1;
		if (slash)
			dst[len++] = '/';
		memcpy(dst + len, p->component[i], n);
		len += n;
	}
	dst[len] = '\0';
	return len;
}

size_t url_fs_path(const struct url_path *p, unsigned count, char *dst,
		   size_t cap)
{
	if (count == 0 || p->n == 0) {
		if (cap < 2)
			return (size_t)-1;
		memcpy(dst, ".", 2);
		return 1;
	}
	return join(p, 0, count, dst, cap, false);
}

size_t url_join(const struct url_path *p, unsigned first, unsigned count,
		char *dst, size_t cap)
{
	return join(p, first, count, dst, cap, true);
}

size_t url_encode_path(char *dst, size_t cap, const char *src)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = 0;
	for (; *src; src++) {
		unsigned char c = (unsigned char)*src;
		bool safe = url_path_safe(c);
		size_t need = safe ? 1 : 3;
		if (len + need + 1 > cap)
			return (size_t)-1;
		if (safe) {
			dst[len++] = (char)c;
		} else {
			dst[len++] = '%';
			dst[len++] = hex[c >> 4];
			dst[len++] = hex[c & 15];
		}
	}
	if (cap == 0)
		return (size_t)-1;
	dst[len] = '\0';
	return len;
}
