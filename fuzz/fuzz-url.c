/* Fuzzes URL paths: url_decode against a model decoder, at every capacity;
 * url_canonical_path against a model of Python's translate_path (decode,
 * split on '/', drop "", "." and "..": the parent), with the invariants
 * routing and confinement rely on; url_join and url_encode_path at random
 * capacities, in buffers of exactly that size. The input is the path as
 * it follows the method in a request line (query already cut off). */
#include <stdbool.h>

#include "fuzz.h"
#include "bounds.h"
#include "status.h"
#include "url.h"

static int hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* urllib.parse.unquote on bytes: "%XX" is one byte, any other '%' stays. */
static size_t model_decode(char *dst, const char *src, size_t len)
{
	size_t out = 0;
	for (size_t i = 0; i < len; i++) {
		if (src[i] == '%' && i + 2 < len && hex((unsigned char)src[i + 1]) >= 0 &&
		    hex((unsigned char)src[i + 2]) >= 0) {
			dst[out++] = (char)(hex((unsigned char)src[i + 1]) * 16 +
					    hex((unsigned char)src[i + 2]));
			i += 2;
		} else {
			dst[out++] = src[i];
		}
	}
	dst[out] = '\0';
	return out;
}

static void check_decode(const uint8_t *data, size_t size, uint64_t *seed)
{
	char *src = fuzz_copy(data, size);
	char *want = malloc(size + 1), *got = malloc(size + 1);
	size_t want_len = model_decode(want, src, size);
	size_t n = url_decode(got, size + 1, src, size);
	CHECK(n == want_len && memcmp(got, want, n + 1) == 0,
	      "decoded %zu bytes, model %zu", n, want_len);
	free(got);
	/* At a smaller capacity: all of it, or nothing. */
	size_t cap = (size_t)(fuzz_rand(seed) % (size + 2));
	got = malloc(cap ? cap : 1);
	n = url_decode(got, cap, src, size);
	if (want_len < cap && cap > 0)
		CHECK(n == want_len && memcmp(got, want, n + 1) == 0, "cap %zu", cap);
	else
		CHECK(n == (size_t)-1, "%zu bytes fit in cap %zu", n, cap);
	free(got);
	free(want);
	free(src);
}

/* Python's translate_path on a decoded path, with our bounds and refusals
 * in the same order as the code: 414 long, 400 control, 414 too many. */
struct model {
	int status;
	unsigned n;
	const char *component[URL_COMPONENTS_MAX];
	size_t length[URL_COMPONENTS_MAX];
	bool trailing_slash;    /* _url_collapse_path's */
	bool slash_sent;        /* translate_path's */
};

static void model_path(const char *raw, char *buf, struct model *m)
{
	size_t raw_len = strlen(raw);
	size_t len = model_decode(buf, raw, raw_len);
	m->status = 0;
	m->n = 0;
	if (len > URL_PATH_MAX) {
		m->status = STATUS_URI_TOO_LONG;
		return;
	}
	for (size_t i = 0; i < len; i++)
		if (fuzz_is_ctl((unsigned char)buf[i])) {
			m->status = STATUS_BAD_REQUEST;
			return;
		}
	size_t end = raw_len;
	while (end > 0 && (raw[end - 1] == ' ' || raw[end - 1] == '\t'))
		end--;
	m->slash_sent = end > 0 && raw[end - 1] == '/';
	/* The last decoded segment: "" (a '/' at the end), "." or "..". */
	size_t last = len;
	while (last > 0 && buf[last - 1] != '/')
		last--;
	size_t tail = len - last;
	m->trailing_slash = tail == 0 ||
		(buf[last] == '.' && (tail == 1 || (tail == 2 && buf[last + 1] == '.')));
	for (size_t i = 0; i <= len;) {
		size_t j = i;
		while (j < len && buf[j] != '/')
			j++;
		size_t n = j - i;
		if (n == 0 || (n == 1 && buf[i] == '.')) {
			/* nothing */
		} else if (n == 2 && buf[i] == '.' && buf[i + 1] == '.') {
			if (m->n > 0)
				m->n--;
		} else {
			if (m->n == URL_COMPONENTS_MAX) {
				m->status = STATUS_URI_TOO_LONG;
				return;
			}
			m->component[m->n] = buf + i;
			m->length[m->n++] = n;
		}
		i = j + 1;
	}
	if (m->n == 0)
		m->trailing_slash = true;
}

static bool safe_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
		c == '~' || c == '/';
}

/* url_encode_path(s): only safe bytes and %XX (upper case), decodes back
 * to s, and at a smaller capacity all or nothing. */
static void check_encode(const char *s, uint64_t *seed)
{
	size_t len = strlen(s);
	size_t cap = 3 * len + 1;
	char *enc = malloc(cap);
	size_t n = url_encode_path(enc, cap, s);
	CHECK(n != (size_t)-1 && n < cap && enc[n] == '\0', "encode %zu", n);
	size_t expect = 0;
	for (size_t i = 0; i < len; i++)
		expect += safe_byte((unsigned char)s[i]) ? 1 : 3;
	CHECK(n == expect, "encoded length %zu, want %zu", n, expect);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)enc[i];
		if (c == '%') {
			CHECK(i + 2 < n && strchr("0123456789ABCDEF", enc[i + 1]) &&
			      strchr("0123456789ABCDEF", enc[i + 2]), "bad escape");
			i += 2;
		} else {
			CHECK(safe_byte(c), "unsafe byte 0x%02x in '%s'", c, enc);
		}
	}
	char *back = malloc(n + 1);
	size_t m = url_decode(back, n + 1, enc, n);
	CHECK(m == len && memcmp(back, s, len + 1) == 0, "no round trip");
	free(back);

	size_t small = (size_t)(fuzz_rand(seed) % (cap + 1));
	char *buf = malloc(small ? small : 1);
	m = url_encode_path(buf, small, s);
	if (n + 1 <= small)
		CHECK(m == n && memcmp(buf, enc, n + 1) == 0, "cap %zu", small);
	else
		CHECK(m == (size_t)-1, "%zu bytes fit in cap %zu", m, small);
	free(buf);
	free(enc);
}

/* url_join(first, count) into exactly cap bytes. */
static void check_join(const struct url_path *p, uint64_t *seed)
{
	unsigned first = (unsigned)(fuzz_rand(seed) % (p->n + 2));
	unsigned count = (unsigned)(fuzz_rand(seed) % (p->n + 2));
	switch (fuzz_rand(seed) % 8) {
	case 0: count = first <= p->n ? p->n - first : 0; break;
	case 1: count = ~0u - (unsigned)(fuzz_rand(seed) % 4); break;
	case 2: first = ~0u - (unsigned)(fuzz_rand(seed) % 4); break;
	}
	uint64_t last = (uint64_t)first + count;
	size_t want = 0;
	for (uint64_t i = first; i < last && i < p->n; i++)
		want += 1 + strlen(p->component[i]);
	size_t cap = (size_t)(fuzz_rand(seed) % (want + 3));
	char *buf = malloc(cap ? cap : 1);
	size_t n = url_join(p, first, count, buf, cap);
	if (want + 1 <= cap) {
		CHECK(n == want && buf[n] == '\0', "join %u+%u: %zu, want %zu",
		      first, count, n, want);
		char *q = buf;
		for (uint64_t i = first; i < last && i < p->n; i++) {
			size_t k = strlen(p->component[i]);
			CHECK(*q == '/' && memcmp(q + 1, p->component[i], k) == 0,
			      "join %u+%u: '%s'", first, count, buf);
			q += 1 + k;
		}
	} else {
		CHECK(n == (size_t)-1, "join %u+%u: %zu in cap %zu", first, count,
		      n, cap);
	}
	free(buf);
}

static void check_path(const uint8_t *data, size_t size, uint64_t *seed)
{
	char *raw = fuzz_string(data, size);
	/* Static, not malloc'ed: 50 KiB through ASan's quarantine on every
	 * run costs half the speed; globals have redzones all the same. */
	static struct url_path path;
	static struct model model;
	struct url_path *p = &path;
	char *mbuf = malloc(strlen(raw) + 1);
	struct model *m = &model;
	int status = url_canonical_path(raw, p);
	model_path(raw, mbuf, m);
	CHECK(status == m->status, "status %d, model %d", status, m->status);
	if (status != 0)
		goto out;

	CHECK(p->n == m->n, "%u components, model %u", p->n, m->n);
	CHECK(p->trailing_slash == m->trailing_slash, "trailing slash");
	CHECK(p->slash_sent == m->slash_sent, "slash sent");
	for (unsigned i = 0; i < p->n; i++) {
		const char *c = p->component[i];
		size_t n = strlen(c);
		CHECK(c >= p->buf && c + n < p->buf + sizeof p->buf,
		      "component %u outside buf", i);
		CHECK(n == m->length[i] && memcmp(c, m->component[i], n) == 0,
		      "component %u '%s'", i, c);
		CHECK(n > 0 && strcmp(c, ".") != 0 && strcmp(c, "..") != 0,
		      "component %u is '%s'", i, c);
		for (size_t k = 0; k < n; k++)
			CHECK(c[k] != '/' && !fuzz_is_ctl((unsigned char)c[k]),
			      "component %u byte 0x%02x", i, (unsigned char)c[k]);
	}

	/* fs: relative, ".." never a component, the components joined. */
	CHECK(memchr(p->fs, '\0', sizeof p->fs) != NULL, "fs not terminated");
	CHECK(p->fs[0] != '/' && p->fs[0] != '\0', "fs '%s'", p->fs);
	if (p->n == 0) {
		CHECK(strcmp(p->fs, ".") == 0, "fs '%s' for the root", p->fs);
	} else {
		const char *q = p->fs;
		for (unsigned i = 0; i < p->n; i++) {
			size_t n = strlen(p->component[i]);
			CHECK(memcmp(q, p->component[i], n) == 0 &&
			      q[n] == (i + 1 < p->n ? '/' : '\0'), "fs '%s'", p->fs);
			q += n + 1;
		}
	}
	for (const char *q = p->fs; q != NULL; q = strchr(q, '/'), q = q ? q + 1 : q)
		CHECK(strncmp(q, "..", 2) != 0 || (q[2] != '/' && q[2] != '\0'),
		      "'..' in fs '%s'", p->fs);

	/* listing.c and file.c join the whole path into URL_PATH_MAX + 2
	 * bytes, listing.c without checking: it must always fit. */
	char joined[URL_PATH_MAX + 2];
	size_t jn = url_join(p, 0, p->n, joined, sizeof joined);
	CHECK(jn != (size_t)-1, "the whole path does not fit URL_PATH_MAX + 2");
	CHECK(p->n == 0 ? jn == 0 : strcmp(joined + 1, p->fs) == 0, "join");

	for (int i = 0; i < 4; i++)
		check_join(p, seed);
	check_encode(p->fs, seed);
	check_encode(joined, seed);
out:
	free(mbuf);
	check_encode(raw, seed);
	free(raw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t seed = fuzz_hash(data, size);
	check_decode(data, size, &seed);
	check_path(data, size, &seed);
	return 0;
}
