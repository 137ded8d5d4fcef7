#include "response.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <time.h>
#include <unistd.h>

#include "config-build.h"
#include "httpdate.h"
#include "status.h"

void response_init(struct response *r, int fd, bool head_only)
{
	r->fd = fd;
	r->head_only = head_only;
	r->failed = false;
	r->status = 0;
	r->body_bytes = 0;
	r->len = 0;
}

static void write_all(struct response *r, const char *p, size_t n)
{
	while (n > 0 && !r->failed) {
		ssize_t w = write(r->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			r->failed = true; /* EPIPE, ECONNRESET: the client left */
			return;
		}
		p += w;
		n -= (size_t)w;
	}
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

void response_header(struct response *r, const char *name, const char *fmt, ...)
{
	char small[1024], *line = small;
	va_list ap;
	va_start(ap, fmt);
	/* Most values are one string: no need for printf's machinery, which
	 * is a real share of a request's instructions. */
	const char *plain = strcmp(fmt, "%s") == 0 ? va_arg(ap, const char *) : NULL;
	int value_len = plain ? (int)strlen(plain) : vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (value_len < 0)
		return;
	/* A Location or a script's header may be long; it goes out whole or
	 * not at all, never cut somewhere that changes its meaning. */
	size_t need = strlen(name) + 2 + (size_t)value_len + 3;
	if (need > sizeof small && (line = malloc(need)) == NULL) {
		r->failed = true;
		return;
	}
	size_t name_len = strlen(name);
	memcpy(line, name, name_len);
	memcpy(line + name_len, ": ", 2);
	int n = (int)name_len + 2;
	if (plain) {
		memcpy(line + n, plain, (size_t)value_len + 1);
		n += value_len;
	} else {
		va_start(ap, fmt);
		n += vsnprintf(line + n, need - (size_t)n, fmt, ap);
		va_end(ap);
	}
	/* Values come from our own tables and checked paths, but a header
	 * is the one place a stray CR or LF would do harm: never emit one. */
	for (int i = 0; i < n; i++)
		if (line[i] == '\r' || line[i] == '\n')
			line[i] = ' ';
	line[n++] = '\r';
	line[n++] = '\n';
	append(r, line, (size_t)n);
	if (line != small)
		free(line);
}

void response_status(struct response *r, int status, const char *reason)
{
	char line[128];
	int n = snprintf(line, sizeof line, "HTTP/1.1 %d %s\r\n", status,
			 reason ? reason : status_reason(status));
	append(r, line, (size_t)n);
	r->status = status;
	char date[HTTPDATE_LEN];
	httpdate_format(time(NULL), date);
	response_header(r, "Server", "%s", SERVER_SOFTWARE);
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

void response_sendfile(struct response *r, int fd, off_t offset, off_t count)
{
	if (r->head_only || r->failed)
		return;
	while (count > 0) {
		size_t chunk = count > (off_t)0x7ffff000 ? 0x7ffff000 : (size_t)count;
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
		count -= n;
	}
}

void response_from_pipe(struct response *r, int pipe_fd)
{
	if (r->head_only)
		return; /* the script sees EPIPE, as after a HEAD it should */
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

static size_t html_escape(char *dst, size_t cap, const char *src)
{
	size_t len = 0;
	for (; *src && len + 7 < cap; src++) {
		const char *rep = NULL;
		switch (*src) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		}
		if (rep) {
			size_t n = strlen(rep);
			memcpy(dst + len, rep, n);
			len += n;
		} else {
			dst[len++] = *src;
		}
	}
	dst[len] = '\0';
	return len;
}

void response_error(struct response *r, int status, const char *message)
{
	response_error_with(r, status, message, NULL, NULL);
}

void response_error_with(struct response *r, int status, const char *message,
			 const char *name, const char *value)
{
	char msg[512], body[2048];
	html_escape(msg, sizeof msg, message ? message : status_reason(status));
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
	response_header(r, "Content-Length", "%d", n);
	response_end_head(r);
	response_body(r, body, (size_t)n);
}
