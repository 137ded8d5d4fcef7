/* The chunked transfer coding of a request body (RFC 9112 7.1): chunk
 * sizes in hex, extensions ignored, trailers read and dropped, every
 * malformed form refused. Pure: bytes in, decoded bytes out through the
 * caller's buffer; no I/O, no globals. */
#ifndef CGIHANDLERD_CHUNKED_H
#define CGIHANDLERD_CHUNKED_H

#include <stdbool.h>
#include <stddef.h>

#define CHUNK_LINE_MAX    4096     /* a size line with its extensions -> 400 */
#define CHUNK_TRAILER_MAX 65536    /* the trailer section -> 400 */

struct chunked {
	enum {
		CHUNK_SIZE, CHUNK_EXTENSION, CHUNK_SIZE_LF, CHUNK_DATA,
		CHUNK_DATA_CR, CHUNK_DATA_LF, CHUNK_TRAILER, CHUNK_DONE,
	} state;
	unsigned long long left;  /* data bytes left in this chunk */
	unsigned digits;          /* size digits seen */
	size_t line;              /* bytes of the current size or trailer line */
	size_t trailer;           /* bytes of the trailer section */
	bool cr;                  /* in the trailers: the last byte was a CR */
};

/* Decodes in[0..len) into out (room for len bytes is always enough: the
 * decoded bytes are never more than the coded ones). Sets *used to the
 * bytes of in consumed (all of them unless the body ended: then what
 * follows is not the body's) and *produced to the bytes written. Returns
 * 0, or 400 with *why for a malformed body. Done once c->state is
 * CHUNK_DONE. */
int chunked_decode(struct chunked *c, const char *in, size_t len, char *out,
		   size_t *used, size_t *produced, const char **why);

#endif
