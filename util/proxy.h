/* The PROXY protocol (HAProxy's doc/proxy-protocol.txt, v1 text and v2
 * binary): a front end's header in front of the request saying who the
 * client is, and whether it spoke TLS. Pure: bytes in, a result out; no
 * I/O, no globals. The connection module reads; this decides. */
#ifndef CGIHANDLERD_PROXY_H
#define CGIHANDLERD_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROXY_ADDR_MAX 46     /* INET6_ADDRSTRLEN */
#define PROXY_PORT_MAX 6
#define PROXY_TEXT_MAX 64     /* SSL_PROTOCOL, SSL_CIPHER: longer is dropped */
#define PROXY_SNI_MAX 256     /* SSL_TLS_SNI: a DNS name fits */
#define PROXY_V2_FIXED 16     /* signature, version/command, family, length */

enum proxy_verdict {
	PROXY_NEED_MORE, /* *n: bytes more that surely belong to the header */
	PROXY_INVALID,   /* *why says why; answer 400 */
	PROXY_DONE,      /* *n: the header's length, to be consumed */
};

struct proxy_result {
	int version;                  /* 1 or 2 */
	bool addresses;               /* false: keep the socket's own peer
				       * (v1 UNKNOWN, v2 LOCAL, v2 UNSPEC,
				       * UNIX or DGRAM) */
	char src_addr[PROXY_ADDR_MAX], src_port[PROXY_PORT_MAX];
	char dst_addr[PROXY_ADDR_MAX], dst_port[PROXY_PORT_MAX];
	bool tls;                     /* v2 SSL TLV with its client bit */
	char ssl_version[PROXY_TEXT_MAX]; /* "" when absent or not clean */
	char ssl_cipher[PROXY_TEXT_MAX];
	char authority[PROXY_SNI_MAX];
};

/* Looks at the len bytes received so far from the start of the
 * connection. Never reads past buf[len - 1], and never asks for a byte
 * past the header's end, so a caller that reads *n more bytes at a time
 * consumes nothing of the request that follows. */
enum proxy_verdict proxy_parse(const unsigned char *buf, size_t len,
			       struct proxy_result *r, size_t *n,
			       const char **why);

/* One --proxy-from network: an IPv4 or IPv6 address and prefix length. */
struct proxy_net {
	int family;                  /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned prefix;
};

/* "192.0.2.0/24", "2001:db8::/32", "127.0.0.1" (a /32 or /128). Returns
 * 0, or -1 when malformed (host bits set beyond the prefix included). */
int proxy_net_parse(const char *text, struct proxy_net *net);

/* Whether the address (as text, IPv4 or IPv6; ::ffff:a.b.c.d counts as
 * a.b.c.d) is inside one of the n networks. */
bool proxy_net_match(const struct proxy_net *nets, size_t n, const char *addr);

#endif
