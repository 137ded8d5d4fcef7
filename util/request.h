/* The HTTP request head: finding where it ends (head_scan) and parsing it
 * into struct request (request_parse). Pure: bytes in, structs out; no I/O,
 * no globals. request_parse writes NULs into the buffer it is given. */
#ifndef CGIHANDLERD_REQUEST_H
#define CGIHANDLERD_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "bounds.h"

/* Incremental scan for the end of the head. Feed it the bytes received so
 * far (buf[0..len)); it remembers where it got to. */
struct head_scan {
	size_t scanned;      /* bytes examined */
	size_t line_start;   /* offset where the current line begins */
	unsigned lines;      /* complete lines seen (request line included) */
	size_t end;          /* 0 until complete, then the offset just past the empty line */
};

/* 0 while nothing is wrong (the head is complete once scan->end is set,
 * else more bytes are needed), or the HTTP status for a head that crossed
 * a limit (414, 431) or can never be an
 * HTTP/1.x request (400: a first byte that cannot start a method, or a
 * request line whose last word is not "HTTP/..."), decided as soon as the
 * bytes show it. Empty lines before the request line are tolerated, as
 * RFC 9112 2.2 allows. */
int head_scan(struct head_scan *scan, const char *buf, size_t len);

enum method { METHOD_OTHER, METHOD_GET, METHOD_HEAD, METHOD_POST };

struct header {
	const char *name;    /* as sent; compare case-insensitively */
	const char *value;   /* leading and trailing whitespace trimmed */
};

#define REQUEST_LOG_LINE_MAX 1024

struct request {
	/* The two arrays first: request_parse zeroes the fields after them
	 * and fills these only as far as they are used (n_headers). */
	char log_line[REQUEST_LOG_LINE_MAX]; /* request line as sent, for the log */
	struct header headers[HEADER_FIELDS_MAX];
	enum method method;
	const char *method_name;
	const char *target;      /* request-target as sent */
	const char *path;        /* origin path, still %-encoded; leading '//' reduced */
	const char *query;       /* after the first '?', or NULL */
	const char *version;     /* "HTTP/1.1" */
	int major, minor;
	unsigned n_headers;
	const char *host;        /* Host header or absolute-form authority, or NULL */
	size_t host_name_len;    /* host's length without its ":port" */
	const char *host_port;   /* the digits after host's ':', or NULL */
	long long content_length; /* -1 when absent */
	bool expect_continue;    /* Expect: 100-continue */
	bool chunked;            /* Transfer-Encoding: chunked (the body's length unknown) */
	int body_fd;             /* -1 while the body is on the connection; a
				  * chunked body, once read and decoded: a
				  * file at offset 0 (content_length set) */
	bool target_unparsed;    /* a method we may not serve, with a target
				  * that is no path ("CONNECT host:443") */
};

/* Parses head[0..len) (len as found by head_scan). Returns 0 or an error
 * status, with *why set to a short static reason for the log. The request
 * line is copied to rq->log_line first, so it can be logged even when the
 * rest is rejected. */
int request_parse(char *head, size_t len, struct request *rq, const char **why);

/* RFC 3875 6.2.2: a script's local Location as the request it becomes:
 * GET (HEAD stays HEAD), the same headers less those that describe a
 * body, the target split as a request line's is (query kept, fragment
 * dropped). location is written into and must outlive rq's use. Returns
 * 0, or 502 with *why for a Location that is no local path. */
int request_redirect(struct request *rq, char *location, const char **why);

/* The request line as far as head[0..len) holds it, cut at CR, LF or NUL
 * and at cap-1 bytes, for the log of a request refused before parsing
 * (a head that timed out, or crossed a limit). */
void request_log_line(const char *head, size_t len, char *dst, size_t cap);

/* Whether a request line (as request_log_line gives it) asks for HEAD,
 * however the rest of it reads: a refused HEAD gets no body either. */
bool request_line_is_head(const char *line);

/* The value of the first header called name (case-insensitive), or NULL. */
const char *request_header(const struct request *rq, const char *name);

#endif
