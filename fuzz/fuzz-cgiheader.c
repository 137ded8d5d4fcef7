/* Fuzzes the header block a CGI script writes (--parse-headers):
 * cgiheader_end against a model of "the first empty line", and what
 * cgiheader_parse lets through against the rules of cgiheader.h: only
 * final statuses, names that are tokens, values without a control
 * character, no Transfer-Encoding, no server field, one Content-Length,
 * every pointer inside the block. */
#include <stdbool.h>
#include <stdint.h>
#include <strings.h>

#include "cgiheader.h"
#include "fuzz.h"
#include "status.h"

/* The block ends just past the first line that is empty (LF or CRLF). */
static size_t model_end(const char *buf, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		size_t n = i - start;
		if (n == 0 || (n == 1 && buf[start] == '\r'))
			return i + 1;
		start = i + 1;
	}
	return 0;
}

static bool inside(const char *p, const char *buf, size_t len)
{
	return p >= buf && p < buf + len;
}

static bool is_token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > SCRIPT_HEAD_MAX)
		return 0;
	char *buf = fuzz_copy(data, size);
	size_t end = cgiheader_end(buf, size);
	CHECK(end == model_end(buf, size), "end %zu, model %zu", end,
	      model_end(buf, size));
	if (end == 0) {
		free(buf);
		return 0;
	}
	struct cgi_header_block h;
	const char *why = NULL;
	int status = cgiheader_parse(buf, end, &h, &why);
	CHECK(status == 0 || status == STATUS_BAD_GATEWAY, "status %d", status);
	if (status) {
		CHECK(why != NULL, "502 without a reason");
		free(buf);
		return 0;
	}
	CHECK(h.status == 0 || (h.status >= 200 && h.status <= 599),
	      "status %d passed", h.status);
	CHECK(h.n <= SCRIPT_FIELDS_MAX, "%u fields", h.n);
	CHECK(h.location == NULL || inside(h.location, buf, end), "location");
	unsigned lengths = 0;
	for (unsigned i = 0; i < h.n; i++) {
		CHECK(inside(h.names[i], buf, end) && inside(h.values[i], buf, end),
		      "field %u outside the block", i);
		CHECK(h.names[i][0] != '\0', "empty name");
		for (const char *p = h.names[i]; *p; p++)
			CHECK(is_token_char((unsigned char)*p), "name byte 0x%02x",
			      (unsigned char)*p);
		for (const char *p = h.values[i]; *p; p++)
			CHECK(!fuzz_is_ctl((unsigned char)*p) || *p == '\t',
			      "value byte 0x%02x", (unsigned char)*p);
		CHECK(strcasecmp(h.names[i], "Transfer-Encoding") != 0,
		      "Transfer-Encoding passed");
		CHECK(strcasecmp(h.names[i], "Status") != 0 &&
		      strcasecmp(h.names[i], "Location") != 0 &&
		      strcasecmp(h.names[i], "Server") != 0 &&
		      strcasecmp(h.names[i], "Date") != 0 &&
		      strcasecmp(h.names[i], "Connection") != 0,
		      "field %s passed on", h.names[i]);
		lengths += strcasecmp(h.names[i], "Content-Length") == 0;
	}
	CHECK(lengths <= 1, "%u Content-Lengths", lengths);
	free(buf);
	return 0;
}
