/* Fuzzes range_parse and the multipart framing: the input is a Range
 * value; its first eight bytes are also a file size (any off_t >= 0). On
 * RANGE_PARTIAL: 1..RANGE_MAX ranges, each inside the file, none
 * overlapping or touching another, so their total never exceeds the file
 * (CVE-2011-3192); else no range at all. range_multipart_length is the sum
 * of what range_part_head and range_part_tail write, and Content-Range
 * values read back as the numbers they were made from. */
#include <inttypes.h>
#include <stdbool.h>

#include "fuzz.h"
#include "range.h"

static void check_content_range(const struct byte_range *r, off_t size)
{
	char buf[RANGE_CONTENT_RANGE_MAX];
	memset(buf, 'x', sizeof buf);
	range_content_range(buf, r, size);
	CHECK(memchr(buf, '\0', sizeof buf) != NULL, "Content-Range not terminated");
	long long a, b, n;
	char tail;
	if (r)
		CHECK(sscanf(buf, "bytes %lld-%lld/%lld%c", &a, &b, &n, &tail) == 3 &&
		      a == (long long)r->first && b == (long long)r->last &&
		      n == (long long)size, "'%s'", buf);
	else
		CHECK(sscanf(buf, "bytes */%lld%c", &n, &tail) == 1 &&
		      n == (long long)size, "'%s'", buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *value = fuzz_string(data, size);
	uint64_t raw = 0;
	memcpy(&raw, data, size < sizeof raw ? size : sizeof raw);
	/* Small sizes most of the time, where the edges are. */
	off_t file = (off_t)((raw & 1) ? (raw >> 1) & INT64_MAX : (raw >> 1) % 4096);

	struct range_set set;
	enum range_result r = range_parse(value, file, &set);
	CHECK(r == RANGE_NONE || r == RANGE_PARTIAL || r == RANGE_UNSATISFIABLE,
	      "result %d", r);
	if (r != RANGE_PARTIAL) {
		CHECK(set.n == 0, "%u ranges with result %d", set.n, r);
		check_content_range(NULL, file);
		free(value);
		return 0;
	}
	CHECK(set.n >= 1 && set.n <= RANGE_MAX, "%u ranges", set.n);
	off_t total = 0;
	for (unsigned i = 0; i < set.n; i++) {
		const struct byte_range *a = &set.r[i];
		CHECK(0 <= a->first && a->first <= a->last && a->last < file,
		      "range %lld-%lld of %lld", (long long)a->first,
		      (long long)a->last, (long long)file);
		for (unsigned j = 0; j < i; j++) {
			const struct byte_range *b = &set.r[j];
			CHECK(a->last + 1 < b->first || b->last + 1 < a->first,
			      "ranges %u and %u overlap or touch", j, i);
		}
		total += a->last - a->first + 1;
		check_content_range(a, file);
	}
	CHECK(total <= file, "ranges add up to %lld of %lld", (long long)total,
	      (long long)file);

	const char *boundary = "0123456789abcdef0123456789abcdef";
	const char *type = "text/plain; charset=utf-8";
	char buf[1024];
	off_t framed = (off_t)range_part_tail(buf, sizeof buf, boundary);
	for (unsigned i = 0; i < set.n; i++) {
		size_t n = range_part_head(buf, sizeof buf, boundary, type, &set.r[i],
					   file, i);
		CHECK(n < sizeof buf && strlen(buf) == n, "part head %zu bytes", n);
		CHECK((i == 0) == (buf[0] == '-'), "part %u starts with %.2s", i, buf);
		framed += (off_t)n + set.r[i].last - set.r[i].first + 1;
	}
	CHECK(framed == range_multipart_length(&set, boundary, type, file),
	      "multipart length");
	free(value);
	return 0;
}
