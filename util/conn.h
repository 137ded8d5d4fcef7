/* The connection: which fds carry it (0/1, or systemd's fd 3), who the
 * peer is, and reading the request head without consuming one byte of
 * what follows it. The only module that reads from the client. */
#ifndef CGIHANDLERD_CONN_H
#define CGIHANDLERD_CONN_H

#include <stdbool.h>
#include <stddef.h>

#define ADDR_MAX 64
#define PORT_MAX 8

struct connection {
	int in, out;
	bool is_socket;            /* in is a socket: peek works */
	char peer_addr[ADDR_MAX];  /* "" when unknown (a pipe) */
	char peer_port[PORT_MAX];
	char local_addr[ADDR_MAX];
	char local_port[PORT_MAX];
};

/* Finds the connection: systemd's LISTEN_FDS=1 protocol moves fd 3 onto
 * 0 and 1; otherwise fds 0 and 1 are it. The peer comes from REMOTE_ADDR
 * (systemd), TCPREMOTEIP (ucspi), else getpeername(); trust_env is false
 * in --listen children, whose environment is the parent's. */
void conn_open(struct connection *c, bool trust_env);

/* Reads the head into buf (cap bytes) within timeout seconds in all.
 * On a socket: peek, then consume exactly up to the end of the head. On a
 * pipe, which cannot be peeked: one byte at a time. Returns 0 with *len
 * set, or an HTTP status (408, 414, 431, 400) with *why set;
 * CONN_CLOSED when the client sent nothing at all. */
#define CONN_CLOSED 499
int conn_read_head(struct connection *c, char *buf, size_t cap, size_t *len,
		   unsigned timeout, const char **why);

#endif
