#include "chunked.h"

#include "status.h"
#include "url.h"

/* A chunk of 2^60 bytes is no body anyone will send; refusing earlier
 * keeps left far from overflow. */
#define CHUNK_DIGITS_MAX 15

static int refuse(const char **why, const char *reason)
{
	*why = reason;
	return STATUS_BAD_REQUEST;
}

/* One byte of a trailer line: fields are dropped, an empty line ends the
 * body, and line ends are CRLF. */
static int trailer_byte(struct chunked *c, char ch, const char **why)
{
	if (++c->trailer > CHUNK_TRAILER_MAX)
		return refuse(why, "chunked trailer too large");
	if (ch == '\n') {
		if (!c->cr)
			return refuse(why, "bare LF in a chunked trailer");
		if (c->line == 0)
			c->state = CHUNK_DONE;
		c->line = 0;
		c->cr = false;
		return 0;
	}
	if (c->cr)
		return refuse(why, "lone CR in a chunked trailer");
	if (ch == '\r') {
		c->cr = true;
		return 0;
	}
	if (ch == '\0')
		return refuse(why, "NUL in a chunked trailer");
	c->line++;
	return 0;
}

/* One byte of a size line: hex digits, then ";extensions" (ignored, but
 * bounded), then CRLF. */
static int size_byte(struct chunked *c, char ch, const char **why)
{
	if (++c->line > CHUNK_LINE_MAX)
		return refuse(why, "chunk size line too long");
	int d = url_hex_digit((unsigned char)ch);
	switch (c->state) {
	case CHUNK_SIZE:
		if (d >= 0) {
			if (++c->digits > CHUNK_DIGITS_MAX)
				return refuse(why, "chunk size too large");
			c->left = c->left * 16 + (unsigned)d;
			return 0;
		}
		/* "0x10", " 10", "-1" and an empty line have no digit first. */
		if (c->digits == 0)
			return refuse(why, "chunk size is not hex digits");
		if (ch == ';' || ch == ' ' || ch == '\t')
			c->state = CHUNK_EXTENSION;
		else if (ch == '\r')
			c->state = CHUNK_SIZE_LF;
		else
			return refuse(why, "chunk size is not hex digits");
		return 0;
	case CHUNK_EXTENSION:
		if (ch == '\r')
			c->state = CHUNK_SIZE_LF;
		else if ((unsigned char)ch < 0x20 && ch != '\t')
			return refuse(why, "control character in a chunk extension");
		return 0;
	default: /* CHUNK_SIZE_LF */
		if (ch != '\n')
			return refuse(why, "chunk size line without CRLF");
		c->state = c->left == 0 ? CHUNK_TRAILER : CHUNK_DATA;
		c->digits = 0;
		c->line = 0;
		return 0;
	}
}

int chunked_decode(struct chunked *c, const char *in, size_t len, char *out,
		   size_t *used, size_t *produced, const char **why)
{
	size_t i = 0, o = 0;
	int status = 0;
	while (i < len && c->state != CHUNK_DONE && !status) {
		char ch = in[i];
		switch (c->state) {
		case CHUNK_DATA: {
			size_t n = len - i < c->left ? len - i : (size_t)c->left;
			for (size_t k = 0; k < n; k++)
				out[o + k] = in[i + k];
			o += n;
			i += n;
			c->left -= n;
			if (c->left == 0)
				c->state = CHUNK_DATA_CR;
			continue;
		}
		case CHUNK_DATA_CR:
			if (ch != '\r')
				status = refuse(why, "chunk data longer than its size");
			c->state = CHUNK_DATA_LF;
			break;
		case CHUNK_DATA_LF:
			if (ch != '\n')
				status = refuse(why, "chunk data not ended by CRLF");
			c->state = CHUNK_SIZE;
			break;
		case CHUNK_TRAILER:
			status = trailer_byte(c, ch, why);
			break;
		case CHUNK_DONE:
			break;
		default:
			status = size_byte(c, ch, why);
			break;
		}
		i++;
	}
	*used = i;
	*produced = o;
	return status;
}
