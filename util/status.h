/* HTTP status codes, their reason phrases and explanations, and the one
 * place errno becomes a status. No I/O. */
#ifndef CGIHANDLERD_STATUS_H
#define CGIHANDLERD_STATUS_H

/* A stage returns 0 to go on, or the HTTP status that ends the request. */
enum {
	STATUS_CONTINUE = 100,
	STATUS_OK = 200,
	STATUS_PARTIAL_CONTENT = 206,
	STATUS_MOVED_PERMANENTLY = 301,
	STATUS_FOUND = 302,
	STATUS_NOT_MODIFIED = 304,
	STATUS_BAD_REQUEST = 400,
	STATUS_UNAUTHORIZED = 401,
	STATUS_FORBIDDEN = 403,
	STATUS_NOT_FOUND = 404,
	STATUS_REQUEST_TIMEOUT = 408,
	STATUS_LENGTH_REQUIRED = 411,
	STATUS_PRECONDITION_FAILED = 412,
	STATUS_CONTENT_TOO_LARGE = 413,
	STATUS_URI_TOO_LONG = 414,
	STATUS_RANGE_NOT_SATISFIABLE = 416,
	STATUS_HEADERS_TOO_LARGE = 431,
	STATUS_INTERNAL_ERROR = 500,
	STATUS_NOT_IMPLEMENTED = 501,
	STATUS_BAD_GATEWAY = 502,
	STATUS_SERVICE_UNAVAILABLE = 503,
	STATUS_GATEWAY_TIMEOUT = 504,
	STATUS_VERSION_NOT_SUPPORTED = 505,
};

/* The message a client's error page carries for a refusal whose log
 * reason is reason: Python's own text where Python refuses the same way
 * ("No such CGI script"), else the status's reason phrase. Never the log
 * reason itself: that may name a detail of the server. */
const char *status_page_message(int status, const char *reason);

/* "Not Found"; "" for a code the table does not know. */
const char *status_reason(int status);
/* One sentence for the error page, as Python's HTTPStatus.description. */
const char *status_explanation(int status);
/* ENOENT/ENOTDIR/ENAMETOOLONG -> 404, EACCES/EPERM/ELOOP/EXDEV -> 403,
 * anything else -> 500. */
int status_from_errno(int err);

#endif
