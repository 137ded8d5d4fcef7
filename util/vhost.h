/* Virtual hosts (--vhost): the Host a request names becomes the directory
 * ROOT/HOST/ that serves it, or ROOT/default/. vhost_name is pure;
 * vhost_select opens the directory. */
#ifndef CGIHANDLERD_VHOST_H
#define CGIHANDLERD_VHOST_H

#include <stdbool.h>

#include "config.h"
#include "request.h"

#define VHOST_NAME_MAX 253     /* a DNS name, RFC 1035 */
#define VHOST_DEFAULT "default"

/* The directory name for host (a Host value or an absolute-form authority,
 * NULL when none): lower-cased, port and one trailing dot removed; only
 * letters, digits, '-' and '.', no leading dot, no "..", not empty, at
 * most VHOST_NAME_MAX bytes. Returns false (name untouched) for anything
 * else: an IPv6 literal, '%', '/', '_', a NUL, "..". */
bool vhost_name(const char *host, char name[VHOST_NAME_MAX + 1]);

/* Makes ROOT/NAME/ (when it is a directory below the root) or else
 * ROOT/default/ the root of this request: cfg->root_fd and cfg->root are
 * replaced, so that routing, confinement, the real-path checks and
 * DOCUMENT_ROOT all follow. One process serves one request, so the change
 * lasts exactly as long as the request. Returns 0, or 404 with *why when
 * not even ROOT/default/ exists. */
int vhost_select(struct config *cfg, const struct request *rq, const char **why);

#endif
