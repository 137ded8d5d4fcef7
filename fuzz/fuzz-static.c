/* Fuzzes the other request headers a static answer reads, each with the
 * whole input as its value: conditional_evaluate and conditional_if_range
 * (any mix of the five preconditions, cut from the input at random
 * points), encoding_parse and encoding_choose (weights in 0..1000, the
 * choice one of the codings offered, or identity), and vhost_name (a name
 * of [a-z0-9.-], 1..253 bytes, no leading dot, no "..", or none). */
#include <stdbool.h>

#include "conditional.h"
#include "encoding.h"
#include "fuzz.h"
#include "status.h"
#include "vhost.h"

static void check_vhost(const char *host)
{
	char name[VHOST_NAME_MAX + 1 + 8];
	memset(name, 'x', sizeof name);
	if (!vhost_name(host, name)) {
		CHECK(name[0] == 'x', "name written for a refused host");
		return;
	}
	size_t n = strnlen(name, VHOST_NAME_MAX + 1);
	CHECK(n >= 1 && n <= VHOST_NAME_MAX, "name of %zu bytes", n);
	CHECK(name[0] != '.' && strstr(name, "..") == NULL, "name '%s'", name);
	for (size_t i = 0; i < n; i++)
		CHECK((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '-' || name[i] == '.', "byte 0x%02x in '%s'",
		      (unsigned char)name[i], name);
	CHECK(name[n - 1] != '.' || n == 1, "trailing dot kept in '%s'", name);
}

static void check_encoding(const char *value, uint64_t *seed)
{
	struct accept_encoding ae;
	encoding_parse(value, &ae);
	for (int i = 0; i < CODING_COUNT; i++)
		CHECK(ae.q[i] >= 0 && ae.q[i] <= 1000, "q[%d] = %d", i, ae.q[i]);
	CHECK(ae.identity_q >= -1 && ae.identity_q <= 1000, "identity %d", ae.identity_q);
	unsigned available = (unsigned)fuzz_rand(seed) & ((1u << CODING_COUNT) - 1);
	int c = encoding_choose(&ae, available);
	CHECK(c == CODING_IDENTITY || (c >= 0 && c < CODING_COUNT &&
				       (available & (1u << c)) && ae.q[c] > 0),
	      "chose %d of %#x", c, available);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	uint64_t seed = fuzz_hash(data, size);
	check_vhost(s);
	check_encoding(s, &seed);

	/* Five values: cuts of s at random points (NULs in a copy). */
	size_t n = strlen(s);
	char *cut = fuzz_copy((const uint8_t *)s, n + 1);
	const char *field[5];
	size_t at = 0;
	for (int i = 0; i < 5; i++) {
		size_t len = n - at ? (size_t)(fuzz_rand(&seed) % (n - at + 1)) : 0;
		field[i] = (fuzz_rand(&seed) & 3) ? cut + at : NULL;
		at += len;
		if (at < n)
			cut[at++] = '\0';
	}
	struct preconditions pc = { field[0], field[1], field[2], field[3], field[4] };
	struct stat st;
	memset(&st, 0, sizeof st);
	st.st_ino = (ino_t)fuzz_rand(&seed);
	st.st_size = (off_t)(fuzz_rand(&seed) >> 1);
	st.st_mtim.tv_sec = (time_t)(fuzz_rand(&seed) % 253402300800ULL);
	char etag[ETAG_MAX];
	conditional_etag(&st, etag);
	CHECK(etag[0] == '"' && strlen(etag) >= 8 && etag[strlen(etag) - 1] == '"',
	      "etag %s", etag);
	int status = conditional_evaluate(&pc, etag, st.st_mtim.tv_sec);
	CHECK(status == 0 || status == STATUS_NOT_MODIFIED ||
	      status == STATUS_PRECONDITION_FAILED, "status %d", status);
	/* The client's own tag always matches: If-None-Match of it is 304
	 * unless If-Match or If-Unmodified-Since failed first. */
	struct preconditions own = { .if_none_match = etag, .if_range = etag };
	CHECK(conditional_evaluate(&own, etag, st.st_mtim.tv_sec) == STATUS_NOT_MODIFIED,
	      "own tag not matched");
	CHECK(conditional_if_range(&own, etag, st.st_mtim.tv_sec), "own If-Range refused");
	(void)conditional_if_range(&pc, etag, st.st_mtim.tv_sec);
	free(cut);
	free(s);
	return 0;
}
