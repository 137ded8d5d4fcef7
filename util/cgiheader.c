#include "cgiheader.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "status.h"

size_t cgiheader_end(const char *buf, size_t len)
{
	if (len >= 1 && buf[0] == '\n')
		return 1;
	if (len >= 2 && buf[0] == '\r' && buf[1] == '\n')
		return 2;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Fields the server writes itself: a second copy would contradict them. */
static const char *const server_fields[] = { "Connection", "Server", "Date" };

static bool is_server_field(const char *name)
{
	for (size_t i = 0; i < sizeof server_fields / sizeof *server_fields; i++)
		if (ascii_casecmp(name, server_fields[i]) == 0)
			return true;
	return false;
}

static int parse_status(const char *value, struct cgi_header_block *h,
			const char **why)
{
	if (ascii_digits(value) != 3 || (value[3] != '\0' && value[3] != ' ')) {
		*why = "bad Status from CGI script";
		return STATUS_BAD_GATEWAY;
	}
	int code = (value[0] - '0') * 100 + (value[1] - '0') * 10 + (value[2] - '0');
	if (code < 200 || code > 599) {
		*why = "CGI Status is not a final status";
		return STATUS_BAD_GATEWAY;
	}
	h->status = code;
	snprintf(h->reason, sizeof h->reason, "%s",
		 value[3] ? value + 4 : status_reason(code));
	return 0;
}

/* The body goes on until the script closes its output, and the response
 * says Connection: close; a Content-Length may say the same in advance,
 * but two that disagree, or a transfer coding, would frame it otherwise. */
static int check_framing(const struct cgi_header_block *h, const char *name,
			 const char *value, const char **why)
{
	if (ascii_casecmp(name, "Transfer-Encoding") == 0) {
		*why = "Transfer-Encoding from CGI script";
		return STATUS_BAD_GATEWAY;
	}
	if (ascii_casecmp(name, "Content-Length") != 0)
		return 0;
	size_t digits = ascii_digits(value);
	if (digits == 0 || digits > 18 || value[digits] != '\0') {
		*why = "bad Content-Length from CGI script";
		return STATUS_BAD_GATEWAY;
	}
	for (unsigned i = 0; i < h->n; i++)
		if (ascii_casecmp(h->names[i], "Content-Length") == 0 &&
		    strtoll(h->values[i], NULL, 10) != strtoll(value, NULL, 10)) {
			*why = "conflicting Content-Length from CGI script";
			return STATUS_BAD_GATEWAY;
		}
	return 0;
}

static bool seen(const struct cgi_header_block *h, const char *name)
{
	for (unsigned i = 0; i < h->n; i++)
		if (ascii_casecmp(h->names[i], name) == 0)
			return true;
	return false;
}

/* One field, name and value cut and checked already. */
static int add_field(struct cgi_header_block *h, const char *name,
		     const char *value, const char **why)
{
	if (ascii_casecmp(name, "Status") == 0)
		return parse_status(value, h, why);
	if (ascii_casecmp(name, "Location") == 0) {
		h->location = value;
		return 0;
	}
	if (is_server_field(name))
		return 0;
	int status = check_framing(h, name, value, why);
	if (status)
		return status;
	if (ascii_casecmp(name, "Content-Length") == 0 && seen(h, name))
		return 0; /* the same length twice: once is enough */
	if (h->n == SCRIPT_FIELDS_MAX) {
		*why = "too many headers from CGI script";
		return STATUS_BAD_GATEWAY;
	}
	h->names[h->n] = name;
	h->values[h->n++] = value;
	return 0;
}

/* RFC 3875 6.3: CGI-field = name ":" value NL. */
int cgiheader_parse(char *buf, size_t len, struct cgi_header_block *h,
		    const char **why)
{
	memset(h, 0, sizeof *h);
	char *line = buf;
	while (line < buf + len) {
		char *nl = memchr(line, '\n', (size_t)(buf + len - line));
		if (nl == NULL)
			break;
		*nl = '\0';
		if (nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		if (*line == '\0')
			break;
		char *colon = strchr(line, ':');
		for (char *p = line; colon && p < colon; p++)
			if (!ascii_is_tchar((unsigned char)*p))
				colon = NULL;
		if (colon == NULL || colon == line) {
			*why = "malformed header from CGI script";
			return STATUS_BAD_GATEWAY;
		}
		*colon = '\0';
		char *value = colon + 1 + strspn(colon + 1, " \t");
		for (char *p = value; *p; p++)
			if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f) {
				*why = "control character in CGI header";
				return STATUS_BAD_GATEWAY;
			}
		int status = add_field(h, line, value, why);
		if (status)
			return status;
		line = nl + 1;
	}
	return 0;
}
