/* Fuzzes the chunked decoder: the same input fed at once and in random
 * pieces must give the same verdict, the same decoded bytes and the same
 * end; never more bytes out than in; and a body that ends does so just
 * past a CRLF. */
#include <stdbool.h>
#include <stdint.h>

#include "chunked.h"
#include "fuzz.h"
#include "status.h"

struct run {
	int status;
	bool done;
	size_t used, out_len;
};

static struct run decode(const char *in, size_t len, char *out, uint64_t seed,
			 bool pieces)
{
	struct chunked c = { 0 };
	struct run r = { 0 };
	const char *why = NULL;
	size_t fed = 0;
	while (fed < len && c.state != CHUNK_DONE && !r.status) {
		size_t n = len - fed;
		if (pieces)
			n = 1 + (size_t)(fuzz_rand(&seed) % (n < 16 ? n : 16));
		size_t used, produced;
		r.status = chunked_decode(&c, in + fed, n, out + r.out_len, &used,
					  &produced, &why);
		CHECK(used <= n && produced <= used, "used %zu produced %zu of %zu",
		      used, produced, n);
		CHECK(!r.status || why != NULL, "refused without a reason");
		r.out_len += produced;
		r.used += used;
		fed += n;
	}
	r.done = c.state == CHUNK_DONE;
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_copy(data, size);
	char *whole = malloc(size + 1), *split = malloc(size + 1);
	if (whole == NULL || split == NULL)
		abort();
	struct run a = decode(in, size, whole, 0, false);
	struct run b = decode(in, size, split, fuzz_hash(data, size), true);
	CHECK(a.status == b.status, "status %d at once, %d in pieces", a.status,
	      b.status);
	CHECK(a.status == 0 || a.status == STATUS_BAD_REQUEST, "status %d", a.status);
	if (!a.status) {
		CHECK(a.done == b.done, "done %d / %d", a.done, b.done);
		CHECK(a.out_len == b.out_len && memcmp(whole, split, a.out_len) == 0,
		      "%zu bytes at once, %zu in pieces", a.out_len, b.out_len);
		CHECK(a.out_len <= size, "more out than in");
		if (a.done) {
			CHECK(a.used == b.used, "ended at %zu / %zu", a.used, b.used);
			CHECK(a.used >= 5 && in[a.used - 1] == '\n' && in[a.used - 2] == '\r',
			      "ended at %zu, not after a CRLF", a.used);
		}
	}
	free(in);
	free(whole);
	free(split);
	return 0;
}
