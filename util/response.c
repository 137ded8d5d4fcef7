#include "response.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ascii.h"
#include "config-build.h"
#include "httpdate.h"
#include "log.h"
#include "sigpipe.h"
#include "status.h"
#include "text.h"

void response_init(struct response *r, int fd, bool head_only)
{
	r->fd = fd;
	r->to_socket = false;
	r->writes_bounded = false;
	r->write_timeout = 0;
	r->bytes_written = 0;
	r->head_only = head_only;
	r->failed = false;
	r->too_slow = false;
	r->min_rate = 0;
	r->rate_grace = 0;
	r->status = 0;
	r->body_bytes = 0;
	r->len = 0;
}

/* A client that stops reading must not hold the handler for ever, so a
 * write that may wait is bounded (SO_SNDTIMEO). The first write, of at
 * most a buffer, goes into an empty send queue that the kernel never
 * makes smaller than that, and cannot wait: the usual small response
 * pays no setsockopt. */
static void bound_later_writes(struct response *r, size_t n)
{
	bool may_wait = r->bytes_written > 0 || n > sizeof r->buf;
	if (may_wait && !r->writes_bounded && r->to_socket && r->write_timeout) {
		struct timeval tv = { .tv_sec = r->write_timeout };
		setsockopt(r->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		r->writes_bounded = true;
	}
	r->bytes_written += n;
}

/* more: a file's bytes follow at once, and on a socket the head waits
 * for them (MSG_MORE), so that a response starts with a full segment
 * instead of a small one of headers alone. */
static void write_all_more(struct response *r, const char *p, size_t n,
			   bool more)
{
	bound_later_writes(r, n);
	while (n > 0 && !r->failed) {
		ssize_t w;
		if (r->to_socket) {
			w = send(r->fd, p, n, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
		} else {
			sigpipe_ignore();
			w = write(r->fd, p, n);
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == ENOTSOCK && r->to_socket) {
			r->to_socket = false; /* fd 0 is, fd 1 is not */
			continue;
		}
		if (w <= 0) {
			r->failed = true; /* EPIPE, ECONNRESET: the client left */
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

static void write_all(struct response *r, const char *p, size_t n)
{
	write_all_more(r, p, n, false);
}

void response_flush(struct response *r)
{
	write_all(r, r->buf, r->len);
	r->len = 0;
}

static void append(struct response *r, const char *p, size_t n)
{
	if (r->len + n > sizeof r->buf)
		response_flush(r);
	if (n > sizeof r->buf) {
		write_all(r, p, n);
		return;
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
}

/* name ": " value CRLF, whole or not at all, never cut somewhere that
 * changes its meaning; a CR or LF in it becomes a space (values come
 * from our own tables and checked paths, but a header is the one place a
 * stray line end would do harm). */
static void add_field(struct response *r, const char *name, const char *value,
		      size_t value_len)
{
	size_t name_len = strlen(name), need = name_len + 2 + value_len + 2;
	char *line;
	if (r->len + need > sizeof r->buf)
		response_flush(r);
	/* Built where it is buffered: a field is written once. */
	bool fits = need <= sizeof r->buf;
	if (fits)
		line = r->buf + r->len;
	else if ((line = malloc(need)) == NULL) {
		r->failed = true;
		return;
	}
	memcpy(line, name, name_len);
	memcpy(line + name_len, ": ", 2);
	char *v = line + name_len + 2;
	memcpy(v, value, value_len);
	if (ascii_has_line_end(v, value_len))
		for (size_t i = 0; i < value_len; i++)
			if (v[i] == '\r' || v[i] == '\n')
				v[i] = ' ';
	memcpy(v + value_len, "\r\n", 2);
	if (fits) {
		r->len += need;
		return;
	}
	write_all(r, line, need);
	free(line);
}

void response_header(struct response *r, const char *name, const char *fmt, ...)
{
	va_list ap;
	const char *percent = fmt;
	while (*percent != '\0' && *percent != '%')
		percent++;
	if (*percent == '\0') {
		add_field(r, name, fmt, strlen(fmt));
		return;
	}
	if (strcmp(fmt, "%s") == 0) {
		va_start(ap, fmt);
		const char *value = va_arg(ap, const char *);
		va_end(ap);
		add_field(r, name, value, strlen(value));
		return;
	}
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	char *value = malloc((size_t)n + 1);
	if (value == NULL) {
		r->failed = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(value, (size_t)n + 1, fmt, ap);
	va_end(ap);
	add_field(r, name, value, (size_t)n);
	free(value);
}

void response_header_number(struct response *r, const char *name, long long n)
{
	char buf[TEXT_DECIMAL_MAX];
	add_field(r, name, buf, text_decimal(buf, n));
}

void response_status(struct response *r, int status, const char *reason)
{
	char line[128], code[TEXT_DECIMAL_MAX];
	size_t n = text_decimal(code, status);
	const char *phrase = reason ? reason : status_reason(status);
	size_t len = strlen(phrase);
	if (len > sizeof line - 16 - n)
		len = sizeof line - 16 - n;
	memcpy(line, "HTTP/1.1 ", 9);
	memcpy(line + 9, code, n);
	line[9 + n] = ' ';
	memcpy(line + 10 + n, phrase, len);
	memcpy(line + 10 + n + len, "\r\n", 2);
	append(r, line, 12 + n + len);
	r->status = status;
	/* clock_gettime, not time(): one clock function for every caller
	 * is one symbol for the dynamic linker to bind. */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	char date[HTTPDATE_LEN];
	httpdate_format(now.tv_sec, date);
	response_header(r, "Server", SERVER_SOFTWARE);
	response_header(r, "Date", "%s", date);
	response_header(r, "Connection", "close");
}

void response_end_head(struct response *r)
{
	append(r, "\r\n", 2);
	response_flush(r);
}

void response_body(struct response *r, const void *data, size_t n)
{
	if (r->head_only || r->failed)
		return;
	write_all(r, data, n);
	if (!r->failed)
		r->body_bytes += (long long)n;
}

/* sendfile(2) cannot write to every fd (some pipes, ttys on old kernels);
 * read/write does the same job there. */
static void copy_fallback(struct response *r, int fd, off_t offset, off_t count)
{
	char buf[65536];
	while (count > 0 && !r->failed) {
		size_t want = count < (off_t)sizeof buf ? (size_t)count : sizeof buf;
		ssize_t n = pread(fd, buf, want, offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* the file shrank under us: the client sees it short */
		write_all(r, buf, (size_t)n);
		if (!r->failed)
			r->body_bytes += n;
		offset += n;
		count -= n;
	}
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether sent bytes in the time since started_ms keep up with min_rate. */
static bool keeps_up(const struct response *r, long long started_ms, off_t sent)
{
	long long elapsed = now_ms() - started_ms;
	return r->min_rate == 0 || elapsed <= r->rate_grace * 1000LL ||
		(long long)sent * 1000 >= (long long)r->min_rate * elapsed;
}

void response_sendfile(struct response *r, int fd, off_t offset, off_t count)
{
	if (r->head_only || r->failed)
		return;
	bound_later_writes(r, (size_t)count);
	sigpipe_ignore();
	/* Chunks of a few MiB: between them, the rate is looked at. */
	const off_t chunk_max = 4 << 20;
	long long started = now_ms();
	off_t sent = 0;
	while (count > 0) {
		if (!keeps_up(r, started, sent)) {
			r->failed = r->too_slow = true;
			return;
		}
		size_t chunk = count > chunk_max ? (size_t)chunk_max : (size_t)count;
		ssize_t n = sendfile(r->fd, fd, &offset, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EINVAL || errno == ENOSYS)) {
			copy_fallback(r, fd, offset, count);
			return;
		}
		if (n < 0) {
			r->failed = true;
			return;
		}
		if (n == 0)
			return; /* the file shrank under us: the client sees it short */
		r->body_bytes += n;
		sent += n;
		count -= n;
	}
}

void response_end_head_file(struct response *r, int fd, off_t offset,
			    off_t count)
{
	append(r, "\r\n", 2);
	if (r->head_only || count <= 0) {
		response_flush(r);
		return;
	}
	/* A small file goes out with its head in one write. */
	size_t room = sizeof r->buf - r->len;
	if ((size_t)count <= room) {
		ssize_t n = pread(fd, r->buf + r->len, (size_t)count, offset);
		if (n == count) {
			r->len += (size_t)n;
			response_flush(r);
			if (!r->failed)
				r->body_bytes += n;
			return;
		}
		/* It shrank under us: sendfile tells the client so, as below. */
	}
	write_all_more(r, r->buf, r->len, true);
	r->len = 0;
	response_sendfile(r, fd, offset, count);
}

void response_from_pipe(struct response *r, int pipe_fd)
{
	if (r->head_only)
		return; /* the script sees EPIPE, as after a HEAD it should */
	sigpipe_ignore();
	while (!r->failed) {
		ssize_t n = splice(pipe_fd, NULL, r->fd, NULL, 1 << 16,
				   SPLICE_F_MOVE | SPLICE_F_MORE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EINVAL) {
			char buf[65536];
			while ((n = read(pipe_fd, buf, sizeof buf)) > 0)
				response_body(r, buf, (size_t)n);
			return;
		}
		if (n < 0)
			r->failed = true;
		if (n <= 0)
			return;
		r->body_bytes += n;
	}
}

void response_interim(struct response *r, int status)
{
	char line[64];
	int n = snprintf(line, sizeof line, "HTTP/1.1 %d %s\r\n\r\n", status,
			 status_reason(status));
	write_all(r, line, (size_t)n);
}

const char *response_html_entity(char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	default: return NULL;
	}
}

static size_t html_escape(char *dst, size_t cap, const char *src)
{
	size_t len = 0;
	for (; *src && len + 7 < cap; src++) {
		const char *entity = response_html_entity(*src);
		if (entity) {
			size_t n = strlen(entity);
			memcpy(dst + len, entity, n);
			len += n;
		} else {
			dst[len++] = *src;
		}
	}
	dst[len] = '\0';
	return len;
}

void response_error(struct response *r, int status, const char *reason)
{
	response_error_with(r, status, reason, NULL, NULL);
}

void response_error_with(struct response *r, int status, const char *reason,
			 const char *name, const char *value)
{
	if (r->status != 0) {
		log_message("%d not sent, a %d is out already: %s", status,
			    r->status, reason ? reason : status_reason(status));
		return;
	}
	char msg[512], body[2048];
	html_escape(msg, sizeof msg, status_page_message(status, reason));
	int n = snprintf(body, sizeof body,
		"<!DOCTYPE HTML>\n"
		"<html lang=\"en\">\n"
		"    <head>\n"
		"        <meta charset=\"utf-8\">\n"
		"        <title>Error response</title>\n"
		"    </head>\n"
		"    <body>\n"
		"        <h1>Error response</h1>\n"
		"        <p>Error code: %d</p>\n"
		"        <p>Message: %s.</p>\n"
		"        <p>Error code explanation: %d - %s.</p>\n"
		"    </body>\n"
		"</html>\n",
		status, msg, status, status_explanation(status));
	response_status(r, status, NULL);
	response_header(r, "Content-Type", "text/html;charset=utf-8");
	if (name)
		response_header(r, name, "%s", value);
	response_header_number(r, "Content-Length", n);
	response_end_head(r);
	response_body(r, body, (size_t)n);
}
