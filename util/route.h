/* Routing: from the parsed request to what answers it (a file, a directory
 * listing, a redirect to add a slash, or a CGI script), applying the
 * hidden-file rule and confinement on the way. Opens files; writes nothing. */
#ifndef CGIHANDLERD_ROUTE_H
#define CGIHANDLERD_ROUTE_H

#include "config.h"
#include "request.h"
#include "target.h"

/* Python's CGIHTTPRequestHandler.is_cgi (see route.c). */
unsigned route_is_cgi(const struct config *cfg, const struct url_path *p);

/* Returns 0 with *t filled, or an HTTP status with *why set. */
int route(const struct config *cfg, const struct request *rq,
	  struct target *t, const char **why);

#endif
