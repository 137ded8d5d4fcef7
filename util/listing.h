/* Python's list_directory: an HTML page of a directory's entries, sorted,
 * escaped and linked; by default each with its size and modification
 * time, with --listing=simple exactly Python's page. Reads the directory;
 * writes through response. */
#ifndef CGIHANDLERD_LISTING_H
#define CGIHANDLERD_LISTING_H

#include "config.h"
#include "response.h"
#include "target.h"

/* t->fd is the open directory. Returns 0 once the page is out, or an HTTP
 * status with *why before anything was written. */
int listing_send(const struct config *cfg, const struct target *t,
		 struct response *out, const char **why);

#endif
