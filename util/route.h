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

/* Routing in two steps, with the --auth check between them: route_path
 * decides the one canonical path (t->path), refusing methods nobody takes
 * and hidden files, before anything is looked up below the root; route
 * then decides what answers it. Each returns 0 (route: with *t filled),
 * or an HTTP status with *why set. */
int route_path(const struct config *cfg, const struct request *rq,
	       struct target *t, const char **why);
int route(const struct config *cfg, const struct request *rq,
	  struct target *t, const char **why);

#endif
