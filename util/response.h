/* Writing the response: the only module that writes status lines and
 * headers to the client. Buffers the head, then writes bodies through.
 * Never throws on a client that went away: it notes the failure and every
 * later write is a no-op. */
#ifndef CGIHANDLERD_RESPONSE_H
#define CGIHANDLERD_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config-build.h"

#define SERVER_SOFTWARE "cgihandlerd/" PACKAGE_VERSION

struct response {
	int fd;
	bool to_socket;        /* fd is a socket: send(2) flags apply */
	unsigned write_timeout; /* seconds a write may stall, 0 = for ever */
	bool writes_bounded;   /* ... and SO_SNDTIMEO says so already */
	size_t bytes_written;  /* head and body, all writes so far */
	bool head_only;        /* HEAD: headers, never a body */
	bool failed;           /* the client went away, or read too slowly */
	bool too_slow;         /* ... the latter: below min_rate */
	unsigned min_rate;     /* bytes/s a file body must average, 0 = any */
	unsigned rate_grace;   /* ... once this many seconds have passed */
	int status;            /* status line written, 0 before */
	long long body_bytes;  /* body bytes written, for the log */
	size_t len;
	char buf[4096];
};

void response_init(struct response *r, int fd, bool head_only);

/* "HTTP/1.1 <status> <reason>" then Server, Date, Connection: close. */
void response_status(struct response *r, int status, const char *reason);
/* One field; a value with a CR or LF in it has them made spaces. A fmt of
 * plain text or "%s" is copied as it is, without printf. */
__attribute__((format(printf, 3, 4)))
void response_header(struct response *r, const char *name, const char *fmt, ...);
/* A field whose value is a number (Content-Length). */
void response_header_number(struct response *r, const char *name, long long n);
/* Everything buffered goes out, without ending the head: a CGI script
 * writes the rest of it. */
void response_flush(struct response *r);
/* The empty line, and everything buffered goes out. */
void response_end_head(struct response *r);
/* Body bytes (dropped for HEAD). */
void response_body(struct response *r, const void *data, size_t n);
/* count bytes of file fd from *offset, by sendfile(2). A client that
 * reads them slower than min_rate on average, once rate_grace seconds
 * have passed, is cut off (too_slow). */
void response_sendfile(struct response *r, int fd, off_t offset, off_t count);
/* The empty line, then count bytes of file fd from offset as the body:
 * with the head in one write when they fit the buffer, else by
 * sendfile(2) with the head held back to go out with them (MSG_MORE).
 * min_rate as for response_sendfile. */
void response_end_head_file(struct response *r, int fd, off_t offset,
			    off_t count);
/* Everything readable from pipe_fd until EOF, by splice(2). */
void response_from_pipe(struct response *r, int pipe_fd);
/* A 1xx interim response ("HTTP/1.1 100 Continue"), written at once. */
void response_interim(struct response *r, int status);

/* The entity that stands for c in HTML text ("&amp;" for '&', and '<',
 * '>'), or NULL when c stands for itself: Python's html.escape with
 * quote=False, for the error page and the listing alike. */
const char *response_html_entity(char c);

/* An error response with Python's HTML page, its message chosen by
 * status_page_message from the log reason: the request is never echoed,
 * nor any detail of the server. Once a status line is out nothing more
 * can be said to the client: then the refusal is only logged. */
void response_error(struct response *r, int status, const char *reason);
/* The same, with one more header (a 416's Content-Range). */
void response_error_with(struct response *r, int status, const char *reason,
			 const char *name, const char *value);

#endif
