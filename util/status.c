#include "status.h"

#include <errno.h>
#include <stddef.h>

static const struct {
	int status;
	const char *reason;
	const char *explanation;
} statuses[] = {
	{ 100, "Continue", "Request received, please continue" },
	{ 200, "OK", "Request fulfilled, document follows" },
	{ 301, "Moved Permanently", "Object moved permanently -- see URI list" },
	{ 302, "Found", "Object moved temporarily -- see URI list" },
	{ 304, "Not Modified", "Document has not changed since given time" },
	{ 400, "Bad Request", "Bad request syntax or unsupported method" },
	{ 403, "Forbidden", "Request forbidden -- authorization will not help" },
	{ 404, "Not Found", "Nothing matches the given URI" },
	{ 408, "Request Timeout", "Request timed out; try again later" },
	{ 411, "Length Required", "Client must specify Content-Length" },
	{ 414, "URI Too Long", "URI is too long" },
	{ 431, "Request Header Fields Too Large",
	  "The server refused this request because the request header fields are too large" },
	{ 500, "Internal Server Error", "Server got itself in trouble" },
	{ 501, "Not Implemented", "Server does not support this operation" },
	{ 502, "Bad Gateway", "Invalid responses from another server/proxy" },
	{ 503, "Service Unavailable", "The server cannot process the request due to a high load" },
	{ 504, "Gateway Timeout", "The gateway server did not receive a timely response" },
	{ 505, "HTTP Version Not Supported", "Cannot fulfill request" },
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
		return STATUS_NOT_FOUND;
	case EACCES:
	case EPERM:
	case ELOOP:
	case EXDEV:
		return STATUS_FORBIDDEN;
	case ENAMETOOLONG:
		return STATUS_URI_TOO_LONG;
	default:
		return STATUS_INTERNAL_ERROR;
	}
}
