/* The connection: which fds carry it (0/1, or systemd's fd 3), who the
 * peer is, and reading the request head without consuming one byte of
 * what follows it. The only module that reads from the client. */
#ifndef CGIHANDLERD_CONN_H
#define CGIHANDLERD_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "environ.h"
#include "proxy.h"

#define ADDR_MAX 64
#define PORT_MAX 8

struct connection {
	int in, out;
	bool is_socket;            /* in is a socket: peek works */
	bool is_terminal;          /* in is a terminal: someone typing */
	char peer_addr[ADDR_MAX];  /* "" when unknown (a pipe) */
	char peer_port[PORT_MAX];
	char local_addr[ADDR_MAX];
	char local_port[PORT_MAX];
	bool more_after_head;      /* bytes beyond the head were waiting */
	bool head_refused;         /* conn_read_head stopped short of a head */
	size_t head_len;           /* bytes of the head, once read */
	/* What a PROXY header said (--proxy-protocol); peer_* and local_*
	 * above are then the client's and the address it reached. */
	size_t proxy_len;          /* bytes of the PROXY header, 0: none */
	bool proxy_tls;            /* the front end spoke TLS with the client */
	char ssl_protocol[PROXY_TEXT_MAX]; /* "" when not said */
	char ssl_cipher[PROXY_TEXT_MAX];
	char tls_sni[PROXY_SNI_MAX];
};

struct sockaddr_storage;

/* An IPv4 or IPv6 address and port as text ("192.0.2.1", "8000"); an IPv4
 * peer of a dual-stack socket (::ffff:a.b.c.d) as IPv4. Both "" for any
 * other family. */
void conn_format_address(const struct sockaddr_storage *ss, char addr[ADDR_MAX],
			 char port[PORT_MAX]);

/* Finds the connection: systemd's LISTEN_FDS=1 protocol moves fd 3 onto
 * 0 and 1; otherwise fds 0 and 1 are it. The peer comes from REMOTE_ADDR
 * (systemd), TCPREMOTEIP (ucspi), else getpeername(); env is NULL in
 * --listen children, whose environment is the parent's, not theirs. */
void conn_open(struct connection *c, const struct environ_facts *env);

/* What reading the head came to; not an HTTP status. */
enum head_result {
	HEAD_READ,     /* the head is in buf: *len bytes */
	HEAD_REFUSED,  /* no head: *status (408, 414, 431, 400) and *why say why */
	HEAD_NONE,     /* the client closed without sending a byte */
};

/* Reads the head into buf (cap bytes) within timeout seconds in all.
 * On a socket: peek, then consume exactly up to the end of the head. On a
 * pipe, which cannot be peeked: one byte at a time. *len is what was
 * received, in every case. */
enum head_result conn_read_head(struct connection *c, char *buf, size_t cap,
				size_t *len, unsigned timeout, int *status,
				const char **why);

/* --proxy-protocol: a peer inside the n_from networks (any peer when
 * n_from is 0) must open with a PROXY header (v1 or v2), read exactly,
 * never a byte of the request behind it, the way conn_read_head reads
 * (peek on a socket, on a pipe only the bytes the header surely has),
 * within timeout seconds. HEAD_READ when the head may be read next (the
 * header applied to c, or a direct client outside the list),
 * HEAD_REFUSED with *status 400 or 408 and *why, HEAD_NONE when the
 * client closed without a byte. */
enum head_result conn_read_proxy(struct connection *c,
				 const struct proxy_net *from, size_t n_from,
				 unsigned timeout, int *status,
				 const char **why);

/* Reads a chunked request body (RFC 9112 7.1) from the connection,
 * decoded, into an anonymous file (memfd) of at most max bytes: each wait
 * for bytes at most timeout seconds, and once that long has passed, at
 * least min_rate bytes a second on average (0: any). Returns 0 with
 * *body_fd (at offset 0) and *length set, or 400 (malformed), 408 (too
 * slow), 413 (over max) or 500 with *why. */
int conn_read_chunked(const struct connection *c, long long max,
		      unsigned timeout, unsigned min_rate, int *body_fd,
		      long long *length, const char **why);

/* A client that stops reading must not hold the handler for ever: each
 * write may stall for at most seconds (SO_SNDTIMEO). Pipes ignore this. */
void conn_bound_writes(const struct connection *c, unsigned seconds);

/* A script reading a body that stalls must not wait for ever: each read
 * of the connection may wait at most seconds (SO_RCVTIMEO, which survives
 * exec). Pipes ignore this. */
void conn_bound_reads(const struct connection *c, unsigned seconds);

/* After an answer the handler wrote itself, with nothing more to send:
 * when the client may still be sending (body_unread: a body announced
 * that nobody read, of body_length bytes, or -1 when unknown; or bytes
 * waiting beyond the head, or beyond a head that was refused), the write
 * side is shut and what arrives is read and dropped, within the LINGER_*
 * bounds, so that the close is a FIN: closing with unread bytes makes
 * the kernel send a reset, which can destroy the answer in flight. Once
 * the kernel has received the whole body (TCP_INFO), nothing more is
 * waited for. */
void conn_linger(const struct connection *c, bool body_unread,
		 long long body_length);

#endif
