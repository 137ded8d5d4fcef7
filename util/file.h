/* Static answers: a file (with its validators and preconditions, byte
 * ranges and precompressed variants), a directory listing, or the redirect
 * that adds a directory's trailing slash. Opens a file's variants; writes
 * through the response module only. */
#ifndef CGIHANDLERD_FILE_H
#define CGIHANDLERD_FILE_H

#include "config.h"
#include "request.h"
#include "response.h"
#include "target.h"

/* Answers a FILE, LISTING or REDIRECT target. Returns 0 once a response is
 * out, or an HTTP status (with *why) if none was written yet. */
int file_send(const struct config *cfg, const struct request *rq, const struct target *t,
	      struct response *out, const char **why);

#endif
