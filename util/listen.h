/* Standalone mode (--listen): accept connections and fork one handler per
 * connection, so that the handler code path is exactly the one the
 * superservers run. Owns the listening socket. */
#ifndef CGIHANDLERD_LISTEN_H
#define CGIHANDLERD_LISTEN_H

#include "config.h"

/* "--listen systemd": the listening socket is systemd's (Accept=no,
 * LISTEN_FDS=1), not bound here. */
#define LISTEN_SYSTEMD "systemd"

/* Binds [ADDR:]PORT (no ADDR: every address, IPv6 and IPv4), or takes
 * systemd's socket (LISTEN_SYSTEMD), then loops accepting. Returns only in
 * a child, with the connection on fds 0 and 1. Exits EXIT_USAGE for a bad
 * address or no socket from systemd, EXIT_SYSTEM if it cannot listen. */
void listen_and_fork(const struct config *cfg);

#endif
