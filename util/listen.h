/* Standalone mode (--listen): accept connections and fork one handler per
 * connection, so that the handler code path is exactly the one the
 * superservers run. Owns the listening socket. */
#ifndef CGIHANDLERD_LISTEN_H
#define CGIHANDLERD_LISTEN_H

#include "config.h"

/* Binds [ADDR:]PORT (no ADDR: every address, IPv6 and IPv4), then loops
 * accepting. Returns only in a child, with the connection on fds 0 and 1.
 * Exits EXIT_USAGE for a bad address, EXIT_SYSTEM if it cannot listen. */
void listen_and_fork(const struct config *cfg);

#endif
