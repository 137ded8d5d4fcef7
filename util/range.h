/* Byte ranges (RFC 9110 14): the Range header judged against a file's
 * size, and the multipart/byteranges framing around the parts. Pure: no
 * I/O, no globals; the caller sends the bytes. */
#ifndef CGIHANDLERD_RANGE_H
#define CGIHANDLERD_RANGE_H

#include <stddef.h>
#include <sys/types.h>

/* More range-specs than this in one header and the whole file is sent:
 * Apache's CVE-2011-3192 was hundreds of overlapping ranges. */
#define RANGE_MAX 16           /* range-specs in one Range -> 200 */

/* The multipart boundary: hex digits only, so it needs no quoting. */
#define RANGE_BOUNDARY_LEN 32

struct byte_range {
	off_t first, last;     /* inclusive, first <= last < size */
};

struct range_set {
	unsigned n;            /* 1..RANGE_MAX when RANGE_PARTIAL */
	struct byte_range r[RANGE_MAX];
};

enum range_result {
	RANGE_NONE,            /* no Range, or one to ignore: send 200 */
	RANGE_PARTIAL,         /* send 206 with set->r[0..n) */
	RANGE_UNSATISFIABLE,   /* send 416, Content-Range: bytes * / size */
};

/* Judges a Range value (NULL when absent) against size. Invalid syntax, a
 * unit other than bytes and more than RANGE_MAX specs give RANGE_NONE.
 * The satisfiable ranges are clamped to the file, and those that overlap
 * or touch are merged, in the order they were asked for, so that no byte
 * is sent twice and the parts never add up to more than the file. */
enum range_result range_parse(const char *value, off_t size,
			      struct range_set *set);

/* "bytes FIRST-LAST/SIZE" (or "bytes * /SIZE", without the space, for a
 * NULL r): a Content-Range value, formatted without printf, which would
 * cost a 206 more than all the rest of its difference from a 200. */
#define RANGE_CONTENT_RANGE_MAX 72
void range_content_range(char buf[RANGE_CONTENT_RANGE_MAX],
			 const struct byte_range *r, off_t size);

/* The bytes before part i of a multipart/byteranges body: the delimiter
 * (after a CRLF ending the previous part unless i == 0), the part's
 * Content-Type and Content-Range, the empty line. Written to buf (NUL
 * ended) when it fits in cap; returns the length either way. */
size_t range_part_head(char *buf, size_t cap, const char *boundary,
		       const char *type, const struct byte_range *r, off_t size,
		       unsigned i);

/* The closing delimiter, as range_part_head. */
size_t range_part_tail(char *buf, size_t cap, const char *boundary);

/* The whole multipart body's length: every part head, part and the tail.
 * Known before a byte is sent, for Content-Length. */
off_t range_multipart_length(const struct range_set *set, const char *boundary,
			     const char *type, off_t size);

#endif
