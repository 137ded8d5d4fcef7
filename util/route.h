/* Routing: from the parsed request to what answers it (a file, a directory
 * listing, a redirect to add a slash, or a CGI script), applying the
 * hidden-file rule and confinement on the way. Opens files; writes nothing. */
#ifndef CGIHANDLERD_ROUTE_H
#define CGIHANDLERD_ROUTE_H

#include <sys/stat.h>

#include "config.h"
#include "request.h"
#include "url.h"

enum target_kind { TARGET_FILE, TARGET_LISTING, TARGET_REDIRECT, TARGET_CGI };

struct target {
	enum target_kind kind;
	struct url_path path;  /* the one canonical path (see url.h) */
	int fd;                /* FILE: the file; LISTING: the directory; else -1 */
	struct stat st;
	/* CGI: components [0, cgi_dir_n) name the CGI directory, the one at
	 * script names the script, and those after it are PATH_INFO. */
	unsigned cgi_dir_n;
	unsigned script;
};

/* Python's CGIHTTPRequestHandler.is_cgi (see route.c). */
unsigned route_is_cgi(const struct config *cfg, const struct url_path *p);

/* Returns 0 with *t filled, or an HTTP status with *why set. */
int route(const struct config *cfg, const struct request *rq,
	  struct target *t, const char **why);

#endif
