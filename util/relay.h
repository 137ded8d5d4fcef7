/* --parse-headers: the RFC 3875 response mode. The script runs as a child
 * writing into a pipe; this process reads its header block, writes the
 * status line it asks for (Status:, Location:), and passes the body on
 * with splice(2). Reads the pipe; writes through response. */
#ifndef CGIHANDLERD_RELAY_H
#define CGIHANDLERD_RELAY_H

#include <stddef.h>
#include <sys/types.h>

#include "response.h"

/* Non-HTTP results, kept apart from statuses. */
#define RELAY_CHILD 1           /* in the child: go on and exec */
#define RELAY_LOCAL_REDIRECT 2  /* location holds a local path to serve */

#define SCRIPT_HEAD_MAX 65536   /* the script's header block -> 502 */

struct relay {
	pid_t pid;
	int from_script;
};

/* Forks. In the child returns RELAY_CHILD with fd 1 the pipe; in the
 * parent 0, or 500 with *why. */
int relay_fork(struct relay *r, const char **why);

/* Reads the header block and answers. Returns 0 once the response is out,
 * RELAY_LOCAL_REDIRECT with location (cap bytes) set, or 502/500 with
 * *why before anything was written. Always reaps the child. */
int relay_response(struct relay *r, struct response *out, char *location,
		   size_t cap, const char **why);

#endif
