/* The header block a CGI script writes before its body (RFC 3875 6):
 * where it ends, and what it asks for. Pure: bytes in, struct out; no
 * I/O, no globals. cgiheader_parse writes NULs into the buffer it is
 * given. */
#ifndef CGIHANDLERD_CGIHEADER_H
#define CGIHANDLERD_CGIHEADER_H

#include <stddef.h>

#define SCRIPT_HEAD_MAX   65536  /* the script's header block -> 502 */
#define SCRIPT_FIELDS_MAX 100    /* fields passed on -> 502 */

struct cgi_header_block {
	int status;              /* from Status: (200..599), 0 if none */
	char reason[64];         /* its phrase, or ours for the code */
	const char *location;    /* Location:, or NULL */
	const char *names[SCRIPT_FIELDS_MAX];   /* the fields passed on */
	const char *values[SCRIPT_FIELDS_MAX];
	unsigned n;
};

/* Where the block ends in buf[0..len): just past its empty line (LF or
 * CRLF), or 0 while it has not ended. */
size_t cgiheader_end(const char *buf, size_t len);

/* Parses the block buf[0..len) (len as cgiheader_end found it). Returns 0,
 * or 502 with *why for anything a client must not be given: a field that
 * is not "name: value", a control character, a Status outside 200..599
 * (a 1xx would be taken as interim, and what follows as the answer),
 * framing the relay cannot keep (Transfer-Encoding, or Content-Lengths
 * that disagree), too many fields. The server's own fields (Server, Date,
 * Connection) are dropped. */
int cgiheader_parse(char *buf, size_t len, struct cgi_header_block *h,
		    const char **why);

#endif
