/* What the handler's own environment says about its connection and what
 * is in front of it, read in one pass at start-up: the superservers'
 * variables (systemd's LISTEN_* and REMOTE_*, ucspi's TCP*), a TLS front
 * end's SSL_PROTOCOL, systemd's JOURNAL_STREAM. Reads environ only. */
#ifndef CGIHANDLERD_ENVIRON_H
#define CGIHANDLERD_ENVIRON_H

#include <stddef.h>

struct environ_facts {
	const char *listen_pid, *listen_fds;          /* systemd, fd 3 */
	const char *remote_addr, *remote_port;        /* systemd Accept=yes */
	const char *tcp_remote_ip, *tcp_remote_port;  /* ucspi-tcp */
	const char *tcp_local_ip, *tcp_local_port;
	const char *ssl_protocol;                     /* stunnel and the like */
	const char *journal_stream;                   /* StandardError=journal */
};

/* Fills f from environ (NULL for a variable that is not set). One walk
 * over the environment, where a getenv for each would be ten. */
void environ_read(struct environ_facts *f);

/* The value of var ("NAME=value") if it names name, else NULL. Compared
 * byte by byte, so that the walk stops at the first difference (most
 * variables differ from most names in their first byte), measures no
 * length and never reads past the variable's end. */
static inline const char *environ_value(const char *var, const char *name)
{
	size_t i = 0;
	while (name[i] != '\0' && var[i] == name[i])
		i++;
	return name[i] == '\0' && var[i] == '=' ? var + i + 1 : NULL;
}

#endif
