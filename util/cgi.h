/* CGI: the environment (RFC 3875 and Python's run_cgi), argv (Python's
 * ISINDEX rule), and the exec in place, after which the script is the
 * process. Does process set-up and exec; writes only through response. */
#ifndef CGIHANDLERD_CGI_H
#define CGIHANDLERD_CGI_H

#include "config.h"
#include "conn.h"
#include "request.h"
#include "response.h"
#include "route.h"

/* Runs the script t names. Does not return once the script runs; returns
 * an HTTP status (with *why) if the request fails before the status line,
 * or 0 if the response was completed some other way (--parse-headers). */
int cgi_exec(const struct config *cfg, const struct connection *c,
	     const struct request *rq, const struct target *t,
	     struct response *out, const char **why);

#endif
