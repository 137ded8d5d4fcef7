#include "request.h"

#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "status.h"

/* Whether a complete request line could be HTTP/1.x at all: its last word
 * must start "HTTP/". Checked as soon as the line ends, so that a TLS
 * ClientHello, an SMTP "EHLO" or an HTTP/0.9 "GET /" is answered at once
 * instead of holding a process until the head timeout. */
static bool plausible_request_line(const char *line, size_t n)
{
	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == '\n'))
		n--;
	size_t start = n;
	while (start > 0 && line[start - 1] != ' ' && line[start - 1] != '\t')
		start--;
	return start > 0 && n - start >= 5 && memcmp(line + start, "HTTP/", 5) == 0;
}

int head_scan(struct head_scan *scan, const char *buf, size_t len)
{
	for (size_t i = scan->scanned; i < len; i++) {
		/* A request line must start with a method (after blanks, which
		 * Python's split() allows); a first byte that cannot (0x16
		 * opens a TLS handshake) fails the moment it is seen. */
		if (scan->lines == 0 && i == scan->line_start &&
		    !ascii_is_tchar((unsigned char)buf[i]) && buf[i] != ' ' &&
		    buf[i] != '\t' && buf[i] != '\r' && buf[i] != '\n')
			return STATUS_BAD_REQUEST;
		/* On to the line's end: the bytes between are looked at when
		 * the head is parsed. */
		const char *lf = memchr(buf + i, '\n', len - i);
		if (lf == NULL)
			break;
		i = (size_t)(lf - buf);
		size_t line_len = i + 1 - scan->line_start;
		bool empty = line_len == 1 ||
			(line_len == 2 && buf[scan->line_start] == '\r');
		scan->line_start = i + 1;
		if (scan->lines == 0) {
			/* RFC 9112 2.2: empty lines before the request line
			 * are ignored; HEAD_MAX still bounds them. */
			if (empty)
				continue;
			if (line_len > REQUEST_LINE_MAX)
				return STATUS_URI_TOO_LONG;
			if (!plausible_request_line(buf + i + 1 - line_len, line_len))
				return STATUS_BAD_REQUEST;
		} else if (empty) {
			scan->scanned = scan->end = i + 1;
			return scan->end > HEAD_MAX ? STATUS_HEADERS_TOO_LARGE : 0;
		} else if (line_len > HEADER_LINE_MAX ||
			   scan->lines > HEADER_FIELDS_MAX) {
			return STATUS_HEADERS_TOO_LARGE;
		}
		scan->lines++;
	}
	scan->scanned = len;
	/* A line still open already past its bound fails now, not when the
	 * client gets round to ending it. */
	size_t open_len = len - scan->line_start;
	if (scan->lines == 0 && open_len > REQUEST_LINE_MAX)
		return STATUS_URI_TOO_LONG;
	if (scan->lines > 0 && open_len > HEADER_LINE_MAX)
		return STATUS_HEADERS_TOO_LARGE;
	if (len >= HEAD_MAX)
		return STATUS_HEADERS_TOO_LARGE;
	return 0;
}

static bool is_token(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!ascii_is_tchar((unsigned char)*s))
			return false;
	return true;
}

/* Cuts the line starting at *pos at its LF, drops one CR before the LF,
 * and returns it NUL-terminated; *pos moves to the next line. *bad is set
 * when the line holds a byte that would hide from string functions (NUL)
 * or a CR anywhere else, a lone CR, which RFC 9112 2.2 lets us reject. */
static char *next_line(char *head, size_t len, size_t *pos, size_t *line_len,
		       bool *bad)
{
	if (*pos >= len)
		return NULL;
	char *line = head + *pos;
	char *lf = memchr(line, '\n', len - *pos);
	if (lf == NULL)
		return NULL;
	*pos = (size_t)(lf - head) + 1;
	size_t n = (size_t)(lf - line);
	if (n > 0 && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	*line_len = n;
	*bad = memchr(line, '\r', n) != NULL || memchr(line, '\0', n) != NULL;
	return line;
}

/* Bytes a request line or field value must not contain: NUL and the other
 * controls but HTAB, and DEL. (CR was looked at already.) */
static bool has_ctl(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return true;
	}
	return false;
}

static char *skip_blanks(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Splits the request line on runs of SP/HTAB, as Python's str.split()
 * does for these two. Returns the number of words, at most max + 1. */
static unsigned split_words(char *line, char **words, unsigned max)
{
	unsigned n = 0;
	char *p = skip_blanks(line);
	while (*p && n <= max) {
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
		p = skip_blanks(p);
	}
	return n;
}

/* "HTTP/1.1": exactly one dot, digits on each side, at most ten of them,
 * as Python's parse_request insists. */
static bool parse_version(const char *v, int *major, int *minor)
{
	if (!ascii_starts_with(v, "HTTP/"))
		return false;
	const char *p = v + 5;
	int part[2];
	for (int k = 0; k < 2; k++) {
		size_t digits = ascii_digits(p);
		if (digits == 0 || digits > 10)
			return false;
		long long value = 0;
		for (size_t i = 0; i < digits; i++)
			value = value * 10 + (p[i] - '0');
		part[k] = value > 1000 ? 1000 : (int)value;
		p += digits;
		if (k == 0 && *p++ != '.')
			return false;
	}
	if (*p != '\0')
		return false;
	*major = part[0];
	*minor = part[1];
	return true;
}

/* A port: 1..65535, digits only. */
static bool valid_port(const char *p, size_t n)
{
	if (n == 0 || n > 5)
		return false;
	unsigned long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(p[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

/* Host: a DNS name or IPv4 address (letters, digits, '-', '_', '.'), or a
 * bracketed IPv6 literal, and an optional :port. Deliberately narrower
 * than RFC 3986's reg-name, which admits $ ( ) ' ; & ! and '%': the name
 * becomes SERVER_NAME, and scripts hand that to shells. */
static bool valid_host(const char *h, size_t n)
{
	if (n == 0 || n > 255)
		return false;
	size_t name_end;
	if (h[0] == '[') {
		const char *close = memchr(h, ']', n);
		if (close == NULL || close == h + 1)
			return false;
		name_end = (size_t)(close - h) + 1;
		for (size_t i = 1; i + 1 < name_end; i++) {
			unsigned char c = (unsigned char)h[i];
			if (!(ascii_is_xdigit(c) || c == ':' || c == '.'))
				return false;
		}
	} else {
		const char *colon = memchr(h, ':', n);
		name_end = colon ? (size_t)(colon - h) : n;
		if (name_end == 0)
			return false;
		for (size_t i = 0; i < name_end; i++) {
			unsigned char c = (unsigned char)h[i];
			if (!(ascii_is_alnum(c) || c == '-' || c == '_' || c == '.'))
				return false;
		}
	}
	if (name_end == n)
		return true;
	return h[name_end] == ':' && valid_port(h + name_end + 1, n - name_end - 1);
}

/* Where host's name ends and its port begins, once, for every later
 * stage (valid_host has checked the form). */
static void split_host(struct request *rq)
{
	const char *h = rq->host;
	size_t n = strlen(h);
	const char *end = h[0] == '[' ? memchr(h, ']', n) : NULL;
	const char *colon = NULL;
	for (const char *p = end ? end : h; *p; p++)
		if (*p == ':')
			colon = p;
	rq->host_name_len = colon ? (size_t)(colon - h) : n;
	rq->host_port = colon && colon[1] ? colon + 1 : NULL;
}

/* absolute-form "http://host/path": the authority becomes the host and
 * the path what follows it (RFC 9112 3.2.2). The authority is moved one
 * byte left so that it can be NUL-terminated without losing the '/'. */
static int split_absolute_form(char *target, struct request *rq, char **path)
{
	char *authority = strstr(target, "://");
	if (authority == NULL)
		return STATUS_BAD_REQUEST;
	size_t scheme_len = (size_t)(authority - target);
	if (!((scheme_len == 4 && ascii_ncasecmp(target, "http", 4) == 0) ||
	      (scheme_len == 5 && ascii_ncasecmp(target, "https", 5) == 0)))
		return STATUS_BAD_REQUEST;
	authority += 3;
	size_t host_len = strcspn(authority, "/?#");
	if (!valid_host(authority, host_len))
		return STATUS_BAD_REQUEST;
	char *rest = authority + host_len;
	memmove(authority - 1, authority, host_len);
	authority[host_len - 1] = '\0';
	rq->host = authority - 1;
	if (*rest == '/') {
		*path = rest;
	} else {
		*path = NULL;  /* "/" */
		if (*rest == '?')
			rq->query = rest + 1;
	}
	return 0;
}

/* strchr, inline: see ascii.h for why a request avoids libc's small
 * functions. */
static char *find_char(char *s, char c)
{
	for (; *s != '\0'; s++)
		if (*s == c)
			return s;
	return NULL;
}

static int parse_target(char *target, struct request *rq, const char **why)
{
	rq->target = target;
	rq->query = NULL;
	char *path = NULL;
	if (target[0] == '/')
		path = target;
	else if (split_absolute_form(target, rq, &path) != 0) {
		*why = "request-target is neither a path nor an http URL";
		return STATUS_BAD_REQUEST;
	}
	rq->path = path ? path : "/";
	if (path && rq->query == NULL) {
		char *q = find_char(path, '?');
		if (q != NULL) {
			*q = '\0';
			rq->query = q + 1;
		}
	}
	/* A fragment is never sent by a client; Python's translate_path cuts
	 * it off the path, and so do we. */
	char *fragment = path ? find_char(path, '#') : NULL;
	if (fragment != NULL)
		*fragment = '\0';
	/* gh-87389: "//host/x" in a Location would leave the site. */
	while (rq->path[0] == '/' && rq->path[1] == '/')
		rq->path++;
	return 0;
}

static int parse_request_line(char *line, struct request *rq, const char **why)
{
	char *words[4];
	unsigned n = split_words(line, words, 3);
	if (n == 0) {
		*why = "empty request line";
		return STATUS_BAD_REQUEST;
	}
	if (n >= 3) {
		/* Python checks the version first, with the last word. */
		const char *version = words[n - 1];
		if (!parse_version(version, &rq->major, &rq->minor)) {
			*why = "bad request version";
			return STATUS_BAD_REQUEST;
		}
		if (rq->major != 1) {
			*why = "HTTP version not supported";
			return STATUS_VERSION_NOT_SUPPORTED;
		}
		rq->version = version;
	}
	if (n == 2) {
		/* Deliberate: no HTTP/0.9. A response without a status line
		 * cannot say its length or type, and invites cross-protocol
		 * tricks. */
		*why = "HTTP/0.9 request not served";
		return STATUS_BAD_REQUEST;
	}
	if (n != 3) {
		*why = "bad request syntax";
		return STATUS_BAD_REQUEST;
	}
	if (!is_token(words[0])) {
		*why = "method is not a token";
		return STATUS_BAD_REQUEST;
	}
	rq->method_name = words[0];
	if (strcmp(words[0], "GET") == 0)
		rq->method = METHOD_GET;
	else if (strcmp(words[0], "HEAD") == 0)
		rq->method = METHOD_HEAD;
	else if (strcmp(words[0], "POST") == 0)
		rq->method = METHOD_POST;
	else
		rq->method = METHOD_OTHER;
	/* A method we do not serve gets its 501 whatever its target looks
	 * like ("CONNECT host:443", "OPTIONS *"), as in Python: routing
	 * decides, once it knows whether a script takes the method. */
	if (rq->method == METHOD_OTHER && words[1][0] != '/' &&
	    ascii_ncasecmp(words[1], "http", 4) != 0) {
		rq->target = words[1];
		rq->path = "/";
		rq->target_unparsed = true;
		return 0;
	}
	return parse_target(words[1], rq, why);
}

/* Content-Length: 1*DIGIT, nothing else (no sign, no blanks, no list). */
static bool parse_length(const char *s, long long *out)
{
	size_t digits = ascii_digits(s);
	if (digits == 0 || s[digits] != '\0' || digits > 18)
		return false;
	*out = strtoll(s, NULL, 10);
	return true;
}

/* The framing and routing headers, checked once here so that no later
 * stage has to wonder about duplicates. */
static int check_header(struct request *rq, const struct header *h,
			bool *seen_host, bool *seen_te, const char **why)
{
	if (ascii_casecmp(h->name, "Host") == 0) {
		if (*seen_host) {
			*why = "duplicate Host";
			return STATUS_BAD_REQUEST;
		}
		*seen_host = true;
		if (!valid_host(h->value, strlen(h->value))) {
			*why = "bad Host";
			return STATUS_BAD_REQUEST;
		}
		if (rq->host == NULL)
			rq->host = h->value;
	} else if (ascii_casecmp(h->name, "Content-Length") == 0) {
		if (rq->content_length >= 0) {
			*why = "duplicate Content-Length";
			return STATUS_BAD_REQUEST;
		}
		if (!parse_length(h->value, &rq->content_length)) {
			*why = "bad Content-Length";
			return STATUS_BAD_REQUEST;
		}
	} else if (ascii_casecmp(h->name, "Transfer-Encoding") == 0) {
		if (*seen_te) {
			*why = "duplicate Transfer-Encoding";
			return STATUS_BAD_REQUEST;
		}
		*seen_te = true;
		rq->chunked = ascii_casecmp(h->value, "chunked") == 0;
	} else if (ascii_casecmp(h->name, "Expect") == 0) {
		if (ascii_casecmp(h->value, "100-continue") == 0)
			rq->expect_continue = true;
	}
	return 0;
}

static int parse_headers(char *head, size_t len, size_t pos,
			 struct request *rq, const char **why)
{
	bool seen_host = false, seen_te = false, bad;
	char *line;
	size_t n;
	while ((line = next_line(head, len, &pos, &n, &bad)) != NULL) {
		if (bad) {
			*why = "NUL or lone CR in header";
			return STATUS_BAD_REQUEST;
		}
		if (*line == '\0')
			break;
		if (*line == ' ' || *line == '\t') {
			*why = "obsolete line folding";
			return STATUS_BAD_REQUEST;
		}
		char *colon = memchr(line, ':', n);
		if (colon == NULL) {
			*why = "header without colon";
			return STATUS_BAD_REQUEST;
		}
		*colon = '\0';
		if (!is_token(line)) {
			*why = "header name is not a token";
			return STATUS_BAD_REQUEST;
		}
		char *value = skip_blanks(colon + 1);
		char *end = line + n;
		while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (has_ctl(value, (size_t)(end - value))) {
			*why = "control character in header value";
			return STATUS_BAD_REQUEST;
		}
		*end = '\0';
		if (rq->n_headers == HEADER_FIELDS_MAX) {
			*why = "too many header fields";
			return STATUS_HEADERS_TOO_LARGE;
		}
		struct header *h = &rq->headers[rq->n_headers++];
		h->name = line;
		h->value = value;
		int status = check_header(rq, h, &seen_host, &seen_te, why);
		if (status)
			return status;
	}
	if (rq->minor >= 1 && !seen_host) {
		*why = "HTTP/1.1 request without Host";
		return STATUS_BAD_REQUEST;
	}
	if (rq->host)
		split_host(rq);
	if (seen_te && rq->content_length >= 0) {
		/* RFC 9112 6.3: both at once is how requests are smuggled. */
		*why = "Transfer-Encoding with Content-Length";
		return STATUS_BAD_REQUEST;
	}
	if (seen_te && rq->minor == 0) {
		/* RFC 9112 6.1: in HTTP/1.0 it is faulty framing. */
		*why = "Transfer-Encoding in HTTP/1.0";
		return STATUS_BAD_REQUEST;
	}
	if (seen_te && !rq->chunked) {
		/* Only chunked alone: another coding (gzip, identity) would
		 * leave the body's end unknown to us. */
		*why = "transfer coding other than chunked";
		return STATUS_NOT_IMPLEMENTED;
	}
	return 0;
}

/* Past the empty lines (LF or CRLF) that may come before the request
 * line, as head_scan skipped them; any other CR is a lone one. */
static size_t skip_empty_lines(const char *head, size_t len)
{
	size_t pos = 0;
	for (;;) {
		if (pos < len && head[pos] == '\n')
			pos++;
		else if (pos + 1 < len && head[pos] == '\r' && head[pos + 1] == '\n')
			pos += 2;
		else
			return pos;
	}
}

void request_log_line(const char *head, size_t len, char *dst, size_t cap)
{
	if (cap == 0)
		return;
	size_t pos = skip_empty_lines(head, len), n = 0;
	while (pos + n < len && n + 1 < cap && head[pos + n] != '\r' &&
	       head[pos + n] != '\n' && head[pos + n] != '\0')
		n++;
	memcpy(dst, head + pos, n);
	dst[n] = '\0';
}

int request_parse(char *head, size_t len, struct request *rq, const char **why)
{
	/* Not the arrays: 2.7 kB of stores for every request, and neither
	 * is read past what is written below. */
	_Static_assert(offsetof(struct request, log_line) == 0 &&
		       offsetof(struct request, headers) == sizeof rq->log_line &&
		       offsetof(struct request, method) ==
		       sizeof rq->log_line + sizeof rq->headers,
		       "struct request: the two arrays, then the fields zeroed here");
	size_t fields = offsetof(struct request, method);
	memset((char *)rq + fields, 0, sizeof *rq - fields);
	rq->content_length = -1;
	rq->body_fd = -1;
	rq->version = "";
	rq->method_name = "";
	request_log_line(head, len, rq->log_line, sizeof rq->log_line);
	size_t pos = skip_empty_lines(head, len);
	bool bad;
	size_t n;
	char *line = next_line(head, len, &pos, &n, &bad);
	if (line == NULL) {
		*why = "incomplete request line";
		return STATUS_BAD_REQUEST;
	}
	size_t line_len = strlen(line);
	if (bad || has_ctl(line, line_len)) {
		*why = "control character in request line";
		return STATUS_BAD_REQUEST;
	}
	int status = parse_request_line(line, rq, why);
	if (!status)
		status = parse_headers(head, len, pos, rq, why);
	return status;
}

int request_redirect(struct request *rq, char *location, const char **why)
{
	/* A GET has no body: the first request's body headers do not apply. */
	static const char *const body_headers[] = {
		"Content-Length", "Content-Type", "Transfer-Encoding", "Expect",
	};
	unsigned kept = 0;
	for (unsigned i = 0; i < rq->n_headers; i++) {
		bool keep = true;
		for (size_t b = 0; b < sizeof body_headers / sizeof *body_headers; b++)
			keep = keep && ascii_casecmp(rq->headers[i].name, body_headers[b]) != 0;
		if (keep)
			rq->headers[kept++] = rq->headers[i];
	}
	rq->n_headers = kept;
	if (rq->method != METHOD_HEAD) {
		rq->method = METHOD_GET;
		rq->method_name = "GET";
	}
	rq->content_length = -1;
	rq->expect_continue = false;
	rq->chunked = false;
	rq->body_fd = -1;
	/* A fragment names a place in the answer, not the answer. */
	char *fragment = strchr(location, '#');
	if (fragment != NULL)
		*fragment = '\0';
	if (location[0] != '/' || location[1] == '/') {
		*why = "CGI Location is not a local path";
		return STATUS_BAD_GATEWAY;
	}
	return parse_target(location, rq, why);
}

bool request_line_is_head(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return ascii_starts_with(line, "HEAD") && (line[4] == ' ' || line[4] == '\t');
}

const char *request_header(const struct request *rq, const char *name)
{
	/* Asked a dozen times a request: the first letter, folded, rules
	 * out most fields before strcasecmp is called. */
	unsigned char first = (unsigned char)name[0] | 0x20;
	for (unsigned i = 0; i < rq->n_headers; i++)
		if (((unsigned char)rq->headers[i].name[0] | 0x20) == first &&
		    ascii_casecmp(rq->headers[i].name, name) == 0)
			return rq->headers[i].value;
	return NULL;
}
