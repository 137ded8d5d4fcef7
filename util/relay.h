/* --parse-headers: the RFC 3875 response mode. The script runs as a child
 * writing into a pipe; this process reads its header block (cgiheader),
 * writes the status line it asks for (Status:, Location:), and passes the
 * body on with splice(2). Forks, reads the pipe; writes through response. */
#ifndef CGIHANDLERD_RELAY_H
#define CGIHANDLERD_RELAY_H

#include <stddef.h>

#include "cgi.h"
#include "config.h"
#include "response.h"

/* How the relay ended; not an HTTP status. */
enum relay_result {
	RELAY_ANSWERED,        /* the response is out (or the client left) */
	RELAY_LOCAL_REDIRECT,  /* location holds a local path to answer instead */
	RELAY_REFUSED,         /* nothing written: *status (500, 502), *why */
};

/* Runs the script plan describes as a child (cgi_become, fd 1 a pipe) and
 * answers from what it writes. location (cap bytes) receives a local
 * Location whole, never cut: one that does not fit is refused (502). The
 * child is always reaped before this returns. */
enum relay_result relay_run(const struct config *cfg, struct cgi_plan *plan,
			    struct response *out, char *location, size_t cap,
			    int *status, const char **why);

#endif
