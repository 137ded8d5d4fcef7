#include "status.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

static const struct {
	int status;
	const char *reason;
	const char *explanation;
} statuses[] = {
	{ 100, "Continue", "Request received, please continue" },
	{ 101, "Switching Protocols", "Switching to new protocol; obey Upgrade header" },
	{ 200, "OK", "Request fulfilled, document follows" },
	{ 201, "Created", "Document created, URL follows" },
	{ 202, "Accepted", "Request accepted, processing continues off-line" },
	{ 203, "Non-Authoritative Information", "Request fulfilled from cache" },
	{ 204, "No Content", "Request fulfilled, nothing follows" },
	{ 205, "Reset Content", "Clear input form for further input" },
	{ 206, "Partial Content", "Partial content follows" },
	{ 300, "Multiple Choices", "Object has several resources -- see URI list" },
	{ 301, "Moved Permanently", "Object moved permanently -- see URI list" },
	{ 302, "Found", "Object moved temporarily -- see URI list" },
	{ 303, "See Other", "Object moved -- see Method and URL list" },
	{ 304, "Not Modified", "Document has not changed since given time" },
	{ 307, "Temporary Redirect", "Object moved temporarily -- see URI list" },
	{ 308, "Permanent Redirect", "Object moved permanently -- see URI list" },
	{ 400, "Bad Request", "Bad request syntax or unsupported method" },
	{ 401, "Unauthorized", "No permission -- see authorization schemes" },
	{ 402, "Payment Required", "No payment -- see charging schemes" },
	{ 403, "Forbidden", "Request forbidden -- authorization will not help" },
	{ 404, "Not Found", "Nothing matches the given URI" },
	{ 405, "Method Not Allowed", "Specified method is invalid for this resource" },
	{ 406, "Not Acceptable", "URI not available in preferred format" },
	{ 408, "Request Timeout", "Request timed out; try again later" },
	{ 409, "Conflict", "Request conflict" },
	{ 410, "Gone", "URI no longer exists and has been permanently removed" },
	{ 411, "Length Required", "Client must specify Content-Length" },
	{ 412, "Precondition Failed", "Precondition in headers is false" },
	{ 413, "Content Too Large", "Content is too large" },
	{ 414, "URI Too Long", "URI is too long" },
	{ 415, "Unsupported Media Type", "Entity body in unsupported format" },
	{ 416, "Range Not Satisfiable", "Cannot satisfy request range" },
	{ 417, "Expectation Failed", "Expect condition could not be satisfied" },
	{ 422, "Unprocessable Content", "The server understands the content type but was unable to process the contained instructions" },
	{ 428, "Precondition Required", "The origin server requires the request to be conditional" },
	{ 429, "Too Many Requests", "The user has sent too many requests in a given amount of time (\"rate limiting\")" },
	{ 431, "Request Header Fields Too Large",
	  "The server refused this request because the request header fields are too large" },
	{ 500, "Internal Server Error", "Server got itself in trouble" },
	{ 501, "Not Implemented", "Server does not support this operation" },
	{ 502, "Bad Gateway", "Invalid responses from another server/proxy" },
	{ 503, "Service Unavailable", "The server cannot process the request due to a high load" },
	{ 504, "Gateway Timeout", "The gateway server did not receive a timely response" },
	{ 505, "HTTP Version Not Supported", "Cannot fulfill request" },
};

/* Log reason -> Python's message for the same refusal (http.server's
 * send_error texts, without the request's words that Python adds). */
static const struct {
	const char *reason;
	const char *message;
} python_messages[] = {
	{ "No such CGI script", "No such CGI script" },
	{ "CGI script is not a plain file", "CGI script is not a plain file" },
	{ "CGI script is not executable", "CGI script is not executable" },
	{ "Can only POST to CGI scripts", "Can only POST to CGI scripts" },
	{ "No permission to list directory", "No permission to list directory" },
	{ "file not found", "File not found" },
	{ "hidden file", "File not found" },
	{ "hidden file reached through a symlink", "File not found" },
	{ "bad request version", "Bad request version" },
	{ "bad request syntax", "Bad request syntax" },
	{ "HTTP version not supported", "Invalid HTTP version" },
	{ "unsupported method", "Unsupported method" },
	{ "too many header fields", "Too many headers" },
};

static size_t find(int status)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (statuses[i].status == status)
			return i;
	return (size_t)-1;
}

const char *status_reason(int status)
{
	size_t i = find(status);
	return i == (size_t)-1 ? "" : statuses[i].reason;
}

const char *status_page_message(int status, const char *reason)
{
	for (size_t i = 0; reason && i < sizeof python_messages / sizeof *python_messages; i++)
		if (strcmp(reason, python_messages[i].reason) == 0)
			return python_messages[i].message;
	/* Python's defaults where they are not the reason phrase: every 404
	 * says "File not found" (a hidden file must look like a missing one). */
	if (status == STATUS_NOT_FOUND)
		return "File not found";
	if (status == STATUS_VERSION_NOT_SUPPORTED)
		return "Invalid HTTP version";
	return status_reason(status);
}

const char *status_explanation(int status)
{
	size_t i = find(status);
	return i == (size_t)-1 ? "" : statuses[i].explanation;
}

int status_from_errno(int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
	/* A name the file system cannot hold is a file that is not there,
	 * as Python's open() failing says; the URL's own bound (414) has
	 * been checked by then. */
	case ENAMETOOLONG:
		return STATUS_NOT_FOUND;
	case EACCES:
	case EPERM:
	case ELOOP:
	case EXDEV:
		return STATUS_FORBIDDEN;
	default:
		return STATUS_INTERNAL_ERROR;
	}
}
