/* Fuzzes the request head: head_scan fed as the connection module feeds it
 * (all at once, one byte at a time as on a pipe, and in random segments as
 * on a socket: all three must agree), then request_parse on the complete
 * head, in a buffer of exactly its size, and the invariants every later
 * stage relies on. The input is the bytes a client sends. */
#include <ctype.h>
#include <stdbool.h>
#include <strings.h>

#include "fuzz.h"
#include "bounds.h"
#include "request.h"
#include "status.h"

/* What conn_read_head allows into head_scan: its buffer is HEAD_MAX + 1
 * bytes (cgihandlerd.c), so one segment may hold a head one byte too big. */
#define FEED_MAX (HEAD_MAX + 1)

enum feed { FEED_WHOLE, FEED_BYTES, FEED_SEGMENTS };

struct scan_result {
	int status;
	size_t end;
};

static struct scan_result scan(const char *buf, size_t len, enum feed how,
			       uint64_t seed)
{
	struct head_scan hs = { 0 };
	size_t have = 0;
	for (;;) {
		size_t step = len - have;
		if (how == FEED_BYTES) {
			step = 1;
		} else if (how == FEED_SEGMENTS) {
			uint64_t r = fuzz_rand(&seed);
			/* Mostly short segments, sometimes long ones. */
			step = 1 + (r & 1 ? (r >> 8) % 8 : (r >> 8) % (len + 1));
		}
		if (step > len - have)
			step = len - have;
		have += step;
		int status = head_scan(&hs, buf, have);
		/* The fuzzer's notation: 200 for a complete head. */
		if (status == 0 && hs.end != 0)
			status = STATUS_OK;
		/* (After an error the scan is over, and its state moot.) */
		CHECK(status || hs.scanned == have, "scanned %zu of %zu",
		      hs.scanned, have);
		CHECK(status || hs.line_start <= have, "line_start %zu",
		      hs.line_start);
		if (status != 0) {
			CHECK(status == STATUS_OK || status == STATUS_BAD_REQUEST ||
			      status == STATUS_URI_TOO_LONG ||
			      status == STATUS_HEADERS_TOO_LARGE, "status %d", status);
			if (status == STATUS_OK) {
				CHECK(hs.end > 0 && hs.end <= have &&
				      buf[hs.end - 1] == '\n', "end %zu", hs.end);
				CHECK(hs.end <= HEAD_MAX,
				      "complete head of %zu bytes > HEAD_MAX", hs.end);
			}
			/* end means something only for a complete head. */
			return (struct scan_result){ status,
				status == STATUS_OK ? hs.end : 0 };
		}
		if (have == len)
			return (struct scan_result){ 0, 0 };
	}
}

static bool is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool within(const char *p, const char *buf, size_t len)
{
	return p >= buf && p < buf + len;
}

static void check_string(const char *what, const char *s, const char *buf,
			 size_t len, bool blanks_ok)
{
	CHECK(s != NULL, "%s is NULL", what);
	size_t n = strlen(s);
	if (within(s, buf, len))
		CHECK(s + n < buf + len, "%s runs past the head", what);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		CHECK(!(fuzz_is_ctl(c) && !(blanks_ok && c == '\t')),
		      "%s has control byte 0x%02x", what, c);
		CHECK(blanks_ok || (c != ' ' && c != '\t'), "%s has a blank", what);
	}
}

static void check_ok(const struct request *rq, const char *buf, size_t len)
{
	/* The request line. */
	/* Any token method parses (routing decides what is served); the
	 * three known ones, and only they, get their enum. */
	static const char *const names[] = { "", "GET", "HEAD", "POST" };
	if (rq->method == METHOD_OTHER) {
		for (int m = METHOD_GET; m <= METHOD_POST; m++)
			CHECK(strcmp(rq->method_name, names[m]) != 0, "%s as OTHER",
			      rq->method_name);
		CHECK(rq->method_name[0] != '\0', "empty method");
	} else {
		CHECK(strcmp(rq->method_name, names[rq->method]) == 0, "method name");
	}
	check_string("version", rq->version, buf, len, false);
	CHECK(strncmp(rq->version, "HTTP/", 5) == 0 && rq->major == 1 &&
	      rq->minor >= 0 && rq->minor <= 1000, "version %s", rq->version);
	check_string("target", rq->target, buf, len, false);
	check_string("path", rq->path, buf, len, false);
	CHECK(within(rq->path, buf, len) || strcmp(rq->path, "/") == 0,
	      "path points elsewhere");
	CHECK(rq->path[0] == '/', "path '%s' is not absolute", rq->path);
	CHECK(rq->path[1] != '/', "path '%s' starts with //", rq->path);
	CHECK(strchr(rq->path, '?') == NULL && strchr(rq->path, '#') == NULL,
	      "path '%s' keeps its query or fragment", rq->path);
	if (rq->query)
		check_string("query", rq->query, buf, len, false);

	/* The header fields. */
	CHECK(rq->n_headers <= HEADER_FIELDS_MAX, "%u fields", rq->n_headers);
	bool host = false, te = false, expect = false;
	const char *length = NULL;
	for (unsigned i = 0; i < rq->n_headers; i++) {
		const struct header *h = &rq->headers[i];
		CHECK(within(h->name, buf, len) && within(h->value, buf, len),
		      "field %u points outside the head", i);
		check_string("field name", h->name, buf, len, false);
		CHECK(h->name[0] != '\0', "empty field name");
		for (const char *p = h->name; *p; p++)
			CHECK(is_tchar((unsigned char)*p), "name byte 0x%02x",
			      (unsigned char)*p);
		check_string("field value", h->value, buf, len, true);
		size_t n = strlen(h->value);
		CHECK(n == 0 || (h->value[0] != ' ' && h->value[0] != '\t' &&
				 h->value[n - 1] != ' ' && h->value[n - 1] != '\t'),
		      "value '%s' not trimmed", h->value);
		/* request_header finds the first field of that name. */
		const char *v = request_header(rq, h->name);
		CHECK(v != NULL && v >= rq->headers[0].value, "lookup");
		for (unsigned j = 0; j < rq->n_headers; j++)
			if (strcasecmp(rq->headers[j].name, h->name) == 0) {
				CHECK(v == rq->headers[j].value, "not the first");
				break;
			}
		if (strcasecmp(h->name, "Host") == 0) {
			CHECK(!host, "two Host fields accepted");
			host = true;
		} else if (strcasecmp(h->name, "Content-Length") == 0) {
			CHECK(length == NULL, "two Content-Length fields accepted");
			length = h->value;
		} else if (strcasecmp(h->name, "Transfer-Encoding") == 0) {
			CHECK(!te, "two Transfer-Encoding fields accepted");
			CHECK(strcasecmp(h->value, "chunked") == 0,
			      "Transfer-Encoding '%s' accepted", h->value);
			te = true;
		} else if (strcasecmp(h->name, "Expect") == 0 &&
			   strcasecmp(h->value, "100-continue") == 0) {
			expect = true;
		}
	}
	/* chunked alone, in HTTP/1.1, never beside a Content-Length. */
	CHECK(te == rq->chunked, "chunked %d for a Transfer-Encoding %d",
	      rq->chunked, te);
	CHECK(!te || (rq->minor >= 1 && rq->content_length == -1),
	      "Transfer-Encoding accepted with HTTP/1.0 or a Content-Length");
	CHECK(rq->expect_continue == expect, "expect_continue");
	CHECK(rq->content_length >= -1, "content_length %lld", rq->content_length);
	if (length) {
		CHECK(length[0] != '\0' && strspn(length, "0123456789") ==
		      strlen(length), "Content-Length '%s' accepted", length);
		CHECK(rq->content_length == strtoll(length, NULL, 10),
		      "content_length %lld for '%s'", rq->content_length, length);
	} else {
		CHECK(rq->content_length == -1, "content_length without field");
	}
	CHECK(rq->minor == 0 || host, "HTTP/1.%d without Host", rq->minor);
	CHECK(!host || rq->host != NULL, "Host field but no host");
	if (rq->host) {
		check_string("host", rq->host, buf, len, false);
		CHECK(rq->host[0] != '\0' && strlen(rq->host) <= 255, "host length");
		for (const char *p = rq->host; *p; p++)
			CHECK(isalnum((unsigned char)*p) ||
			      strchr("-._~!$&'()*+,;=:[]%", *p),
			      "host '%s'", rq->host);
	}
	CHECK(request_header(rq, "") == NULL, "a field without a name");
	(void)request_header(rq, "X-Not-Sent-By-The-Fuzzer");
}

/* request_parse on data[0..end), in a buffer that ends where the head
 * does, and the invariants of its result. 0 or the error status. */
static int parse(const uint8_t *data, size_t end)
{
	char *head = fuzz_copy(data, end);
	struct request *rq = malloc(sizeof *rq);
	const char *why = NULL;
	int status = request_parse(head, end, rq, &why);
	CHECK(memchr(rq->log_line, '\0', sizeof rq->log_line) != NULL,
	      "log_line not terminated");
	if (status == 0) {
		check_ok(rq, head, end);
	} else {
		CHECK(why != NULL, "status %d without a reason", status);
		CHECK(status == STATUS_BAD_REQUEST || status == STATUS_LENGTH_REQUIRED ||
		      status == STATUS_HEADERS_TOO_LARGE ||
		      status == STATUS_NOT_IMPLEMENTED ||
		      status == STATUS_VERSION_NOT_SUPPORTED, "status %d", status);
	}
	free(rq);
	free(head);
	return status;
}

/* request_log_line, as main() calls it for a head refused before parsing:
 * on whatever bytes came, into exactly cap bytes. The request line after
 * any empty lines, cut at CR, LF or NUL and at cap - 1 bytes. */
static void check_log_line(const uint8_t *data, size_t size, uint64_t *seed)
{
	size_t cap = 1 + (size_t)(fuzz_rand(seed) % (REQUEST_LOG_LINE_MAX + 1));
	char *dst = malloc(cap);
	request_log_line((const char *)data, size, dst, cap);
	size_t n = strnlen(dst, cap);
	CHECK(n < cap, "log line not terminated in %zu bytes", cap);
	size_t k = 0;
	while (k < size && (data[k] == '\n' ||
			    (data[k] == '\r' && k + 1 < size && data[k + 1] == '\n')))
		k += data[k] == '\n' ? 1 : 2;
	size_t want = 0;
	while (k + want < size && want + 1 < cap && data[k + want] != '\r' &&
	       data[k + want] != '\n' && data[k + want] != '\0')
		want++;
	CHECK(n == want && memcmp(dst, data + k, n) == 0,
	      "log line '%s' (%zu bytes), want %zu", dst, n, want);
	free(dst);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = size < FEED_MAX ? size : FEED_MAX;
	char *buf = fuzz_copy(data, len);
	uint64_t seed = fuzz_hash(data, size);

	static const char *const names[] = { "whole", "bytewise", "segments" };
	struct scan_result r[3];
	int outcome[3];
	r[FEED_WHOLE] = scan(buf, len, FEED_WHOLE, seed);
	r[FEED_BYTES] = scan(buf, len, FEED_BYTES, seed);
	r[FEED_SEGMENTS] = scan(buf, len, FEED_SEGMENTS, seed);
	free(buf);
	check_log_line(data, len, &seed);
	/* What the client gets: the scan's refusal, or the parser's answer
	 * (0: served). Parsed once per distinct head. */
	size_t parsed_end = 0;
	int parsed = -1;
	for (int i = 0; i < 3; i++) {
		outcome[i] = r[i].status;
		if (r[i].status != STATUS_OK)
			continue;
		if (parsed < 0 || parsed_end != r[i].end) {
			parsed = parse(data, r[i].end);
			parsed_end = r[i].end;
		}
		outcome[i] = parsed;
	}
	/* However the bytes arrive, a head ends in the same place, and a
	 * request is served or refused alike. (Which refusal may differ: a
	 * bad first byte is a 400 at once, a 414 once the line is too long.) */
	for (int i = 1; i < 3; i++) {
		CHECK(!(r[0].status == STATUS_OK && r[i].status == STATUS_OK) ||
		      r[0].end == r[i].end, "%s ends at %zu, %s at %zu", names[0],
		      r[0].end, names[i], r[i].end);
		/* served: scan complete and parsed; pending (scan 0) and
		 * refused are both "not served" (a pending head is refused
		 * once it completes, if another feed refused it early). */
		CHECK((r[0].status == STATUS_OK && outcome[0] == 0) ==
		      (r[i].status == STATUS_OK && outcome[i] == 0),
		      "%s: scan %d, outcome %d; %s: scan %d, outcome %d", names[0],
		      r[0].status, outcome[0], names[i], r[i].status, outcome[i]);
	}
	return 0;
}
