/* --auth for one request: the file read and parsed (once, no cache: one
 * process a request), the canonical path looked up in it, and Basic
 * credentials verified with crypt_r(3). Reads the file and logs why it
 * is unusable; writes nothing to the client. */
#ifndef CGIHANDLERD_AUTHCHECK_H
#define CGIHANDLERD_AUTHCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "auth.h"
#include "config.h"
#include "conn.h"
#include "request.h"
#include "url.h"

/* The file, parsed. All zeros is an empty table. */
struct auth_table {
	char *text;                /* the file's bytes, rules point into them */
	struct auth_rule *rules;
	size_t n;
};

/* What the check decided, for the answer and the script. */
struct auth_result {
	const char *user;          /* the verified user, or NULL: not protected */
	char challenge[URL_PATH_MAX * 2 + 64]; /* WWW-Authenticate of a 401, or "" */
	char reason[AUTH_USER_MAX * 4 + 64];   /* the log reason naming the user */
};

/* Reads and parses file. Returns 0, or 500 with *why after logging the
 * precise reason (the file's name, the line and what is wrong with it):
 * a file that cannot be read, or has one bad line, protects nothing, so
 * the request must not be served. */
int authcheck_load(const char *file, struct auth_table *t, const char **why);

/* Decides whether the request may go on to path: 0 (r->user set when the
 * path is protected and the credentials verified), 403 over plain HTTP
 * (neither --https nor a PROXY header's TLS) without --auth-over-http,
 * 400 for malformed Basic credentials or more than one Authorization
 * header, 401 with r->challenge for none, another scheme, an unknown
 * user or a wrong password. *why is static or r->reason. */
int authcheck_request(const struct config *cfg, const struct connection *conn,
		      const struct auth_table *t, const struct request *rq,
		      const struct url_path *path, struct auth_result *r,
		      const char **why);

void authcheck_free(struct auth_table *t);

#endif
