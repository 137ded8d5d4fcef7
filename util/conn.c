#include "conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bounds.h"
#include "chunked.h"
#include "config-build.h"
#if HAVE_NETINET_TCPI_BYTES_RECEIVED
#include <netinet/tcp.h>
#else
#include <linux/tcp.h>
#endif
#include "request.h"
#include "status.h"
#include "text.h"


/* systemd's Accept=yes without StandardInput=socket hands the connection
 * over as fd 3. Moving it to 0 and 1 makes every later stage, and the CGI
 * script, see what inetd would have given. */
static void take_listen_fd(const struct environ_facts *env)
{
	/* sd_listen_fds(3)'s protocol: LISTEN_PID is us, LISTEN_FDS is one
	 * fd, and fd 3 is a stream socket. The variables are not for the
	 * script: they go, whatever they said. */
	const char *pid = env ? env->listen_pid : NULL;
	const char *fds = env ? env->listen_fds : NULL;
	struct stat st;
	int type = 0;
	socklen_t len = sizeof type;
	bool ours = pid && fds && strtol(pid, NULL, 10) == (long)getpid() &&
		strcmp(fds, "1") == 0 && fstat(3, &st) == 0 &&
		S_ISSOCK(st.st_mode) &&
		getsockopt(3, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
		type == SOCK_STREAM;
	if (pid || fds) {
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDS");
		unsetenv("LISTEN_FDNAMES");
	}
	if (!ours)
		return;
	dup2(3, 0);
	dup2(3, 1);
	close(3);
}

static void format_port(char port[PORT_MAX], unsigned p)
{
	char digits[TEXT_DECIMAL_MAX];
	text_decimal(digits, p);
	text_copy(port, PORT_MAX, digits);
}

void conn_format_address(const struct sockaddr_storage *ss, char addr[ADDR_MAX],
			 char port[PORT_MAX])
{
	const socklen_t addr_cap = ADDR_MAX;
	addr[0] = port[0] = '\0';
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &in->sin_addr, addr, addr_cap);
		format_port(port, ntohs(in->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		/* A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d;
		 * logs and scripts want a.b.c.d. */
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
			inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], addr,
				  addr_cap);
		else
			inet_ntop(AF_INET6, &in6->sin6_addr, addr, addr_cap);
		format_port(port, ntohs(in6->sin6_port));
	}
}

/* An address as the superserver's environment gives it (systemd's
 * REMOTE_*, ucspi's TCP*); false when it does not. */
static bool address_from_env(const char *a, const char *p, char *addr,
			     char *port)
{
	if (a == NULL)
		return false;
	text_copy(addr, ADDR_MAX, a);
	text_copy(port, PORT_MAX, p ? p : "");
	return true;
}

/* fd 0 answered a socket call with "not a socket": a pipe, a file or a
 * terminal, read a byte at a time. Only then is it asked whether someone
 * is typing. */
static void not_a_socket(struct connection *c)
{
	c->is_socket = false;
	c->is_terminal = isatty(c->in);
}

/* An address as the socket itself tells it (getpeername, else
 * getsockname). The call is also what finds out that fd 0 is no socket
 * at all. Called by name, not through a pointer: a pointer to a libc
 * function is bound by ld.so at every start, used or not. */
static void address_from_socket(struct connection *c, bool peer,
				char *addr, char *port)
{
	struct sockaddr_storage ss;
	ss.ss_family = AF_UNSPEC;  /* formatted as nothing, if left so */
	socklen_t len = sizeof ss;
	struct sockaddr *sa = (struct sockaddr *)&ss;
	int asked = peer ? getpeername(c->in, sa, &len) :
		getsockname(c->in, sa, &len);
	if (asked == 0)
		conn_format_address(&ss, addr, port);
	else if (errno == ENOTSOCK || errno == EBADF)
		not_a_socket(c);
}

void conn_open(struct connection *c, const struct environ_facts *env)
{
	take_listen_fd(env);
	c->in = 0;
	c->out = 1;
	/* A socket until a socket call says otherwise: no fstat of fd 0 on
	 * every request. When the superserver's environment names both ends
	 * (tcpserver), the first recv is that call; a superserver's
	 * connection is no terminal. */
	c->is_socket = true;
	c->is_terminal = false;
	c->peer_addr[0] = c->peer_port[0] = '\0';
	c->local_addr[0] = c->local_port[0] = '\0';
	c->more_after_head = c->head_refused = false;
	c->head_len = c->proxy_len = 0;
	c->proxy_tls = false;
	bool peer_known = env &&
		(address_from_env(env->remote_addr, env->remote_port,
				  c->peer_addr, c->peer_port) ||
		 address_from_env(env->tcp_remote_ip, env->tcp_remote_port,
				  c->peer_addr, c->peer_port));
	if (!peer_known)
		address_from_socket(c, true, c->peer_addr, c->peer_port);
	bool local_known = env &&
		address_from_env(env->tcp_local_ip, env->tcp_local_port,
				 c->local_addr, c->local_port);
	if (!local_known && c->is_socket)
		address_from_socket(c, false, c->local_addr, c->local_port);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is readable or the deadline passes. 0, or 408. */
static int wait_readable(int fd, long long deadline)
{
	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0)
			return STATUS_REQUEST_TIMEOUT;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int n = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return STATUS_BAD_REQUEST;
	}
}

/* A recv said fd 0 is no socket (the environment named addresses, the
 * fd is a pipe): nothing was read, and the caller waits and reads as for
 * a pipe from now on. */
static ssize_t pipe_after_all(struct connection *c)
{
	not_a_socket(c);
	errno = EAGAIN;
	return -1;
}

/* Bytes up to and including the head's empty line, and no more. *status
 * is head_scan's verdict on what was received. */
static ssize_t receive(struct connection *c, char *buf, size_t room,
		       struct head_scan *scan, size_t len, int *status)
{
	if (!c->is_socket) {
		/* A pipe cannot be peeked, and each byte read is gone; one at a
		 * time is the only way not to read a body byte. Heads are
		 * small, and sockets, the usual case, take the path below. */
		ssize_t n = read(c->in, buf + len, 1);
		if (n > 0)
			*status = head_scan(scan, buf, len + (size_t)n);
		return n;
	}
	/* Peek first, wait only if nothing is there yet: the usual request
	 * arrives with the connection, and the poll would be wasted. */
	ssize_t n = recv(c->in, buf + len, room, MSG_PEEK | MSG_DONTWAIT);
	if (n < 0 && errno == ENOTSOCK)
		return pipe_after_all(c);
	if (n <= 0)
		return n;
	*status = head_scan(scan, buf, len + (size_t)n);
	if (*status)
		return n; /* an error answer follows; nothing more is read */
	/* Consume what the scan says is head: all of it while the end is not
	 * in sight, exactly up to the end once it is. */
	size_t take = scan->end ? scan->end - len : (size_t)n;
	if (scan->end && (size_t)n > take)
		c->more_after_head = true;
	return recv(c->in, buf + len, take, MSG_WAITALL);
}

static const char *scan_refusal(int status)
{
	switch (status) {
	case STATUS_URI_TOO_LONG:
		return "request line too long";
	case STATUS_BAD_REQUEST:
		return "not an HTTP/1.x request";
	default:
		return "request head too large";
	}
}

enum head_result conn_read_head(struct connection *c, char *buf, size_t cap,
				size_t *len, unsigned timeout, int *status,
				const char **why)
{
	long long deadline = now_ms() + (long long)timeout * 1000;
	struct head_scan scan = { 0 };
	*len = 0;
	bool must_wait = !c->is_socket;
	for (;;) {
		if (must_wait && wait_readable(c->in, deadline) != 0) {
			*status = STATUS_REQUEST_TIMEOUT;
			*why = "timed out reading the request head";
			c->head_refused = true;
			return HEAD_REFUSED;
		}
		*status = 0;
		ssize_t n = receive(c, buf, cap - *len, &scan, *len, status);
		must_wait = !c->is_socket || (n < 0 && errno == EAGAIN);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			if (*len == 0)
				return HEAD_NONE;
			*status = STATUS_BAD_REQUEST;
			*why = "client closed the connection mid-head";
			c->head_refused = true;
			return HEAD_REFUSED;
		}
		*len += (size_t)n;
		if (*status) {
			*why = scan_refusal(*status);
			c->head_refused = true;
			return HEAD_REFUSED;
		}
		if (scan.end) {
			*len = c->head_len = scan.end;
			return HEAD_READ;
		}
		if (*len >= cap) {
			*status = STATUS_HEADERS_TOO_LARGE;
			*why = "request head too large";
			c->head_refused = true;
			return HEAD_REFUSED;
		}
	}
}

_Static_assert(PROXY_ADDR_MAX <= ADDR_MAX && PROXY_PORT_MAX <= PORT_MAX,
	       "a PROXY header's address fits the connection's");

/* The header's word replaces the socket's: the client, and the address
 * it reached the front end on. */
static void apply_proxy(struct connection *c, const struct proxy_result *r,
			size_t len)
{
	c->proxy_len = len;
	if (r->addresses) {
		text_copy(c->peer_addr, ADDR_MAX, r->src_addr);
		text_copy(c->peer_port, PORT_MAX, r->src_port);
		text_copy(c->local_addr, ADDR_MAX, r->dst_addr);
		text_copy(c->local_port, PORT_MAX, r->dst_port);
	}
	c->proxy_tls = r->tls;
	if (r->tls) {
		text_copy(c->ssl_protocol, sizeof c->ssl_protocol, r->ssl_version);
		text_copy(c->ssl_cipher, sizeof c->ssl_cipher, r->ssl_cipher);
		text_copy(c->tls_sni, sizeof c->tls_sni, r->authority);
	}
}

static enum head_result proxy_refused(struct connection *c, int code,
				      const char *reason, int *status,
				      const char **why)
{
	*status = code;
	*why = reason;
	c->head_refused = true;
	return HEAD_REFUSED;
}

enum head_result conn_read_proxy(struct connection *c,
				 const struct proxy_net *from, size_t n_from,
				 unsigned timeout, int *status,
				 const char **why)
{
	/* A peer outside the list is a direct client: it sends no header,
	 * and one it sends is a bad request line. */
	if (n_from && !proxy_net_match(from, n_from, c->peer_addr))
		return HEAD_READ;
	unsigned char buf[PROXY_V2_MAX];
	long long deadline = now_ms() + (long long)timeout * 1000;
	size_t len = 0, need = 1;
	bool must_wait = !c->is_socket;
	for (;;) {
		if (must_wait && wait_readable(c->in, deadline) != 0)
			return proxy_refused(c, STATUS_REQUEST_TIMEOUT,
					     "timed out reading the PROXY header",
					     status, why);
		/* As receive() does for the head: a pipe gives only the bytes
		 * the parser knows are header; a socket is peeked. */
		ssize_t n = c->is_socket ?
			recv(c->in, buf + len, sizeof buf - len,
			     MSG_PEEK | MSG_DONTWAIT) :
			read(c->in, buf + len, need);
		if (n < 0 && c->is_socket && errno == ENOTSOCK)
			n = pipe_after_all(c);
		must_wait = !c->is_socket || (n < 0 && errno == EAGAIN);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			if (len == 0)
				return HEAD_NONE;
			return proxy_refused(c, STATUS_BAD_REQUEST,
					     "client closed the connection mid-PROXY header",
					     status, why);
		}
		struct proxy_result r;
		size_t got = len + (size_t)n;
		switch (proxy_parse(buf, got, &r, &need, why)) {
		case PROXY_INVALID:
			return proxy_refused(c, STATUS_BAD_REQUEST, *why, status,
					     why);
		case PROXY_NEED_MORE:
			/* Every byte so far is header: take it, and wait for
			 * the rest (a peek would see the same bytes again). */
			if (c->is_socket &&
			    recv(c->in, buf + len, (size_t)n, MSG_WAITALL) != n)
				return proxy_refused(c, STATUS_BAD_REQUEST,
						     "cannot read the PROXY header",
						     status, why);
			len = got;
			must_wait = true;
			break;
		case PROXY_DONE:
			if (c->is_socket &&
			    recv(c->in, buf + len, need - len, MSG_WAITALL) !=
				    (ssize_t)(need - len))
				return proxy_refused(c, STATUS_BAD_REQUEST,
						     "cannot read the PROXY header",
						     status, why);
			apply_proxy(c, &r, need);
			return HEAD_READ;
		default:
			return proxy_refused(c, STATUS_INTERNAL_ERROR,
					     "can't happen: unknown proxy_parse verdict",
					     status, why);
		}
	}
}

static void bound_waits(int fd, int option, unsigned seconds)
{
	struct timeval tv = { .tv_sec = seconds };
	setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

void conn_bound_writes(const struct connection *c, unsigned seconds)
{
	bound_waits(c->out, SO_SNDTIMEO, seconds);
}

void conn_bound_reads(const struct connection *c, unsigned seconds)
{
	if (c->is_socket)
		bound_waits(c->in, SO_RCVTIMEO, seconds);
}

/* Whether a byte is waiting to be read, without waiting for one. */
static bool bytes_waiting(const struct connection *c)
{
	char byte;
	return recv(c->in, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

/* Whether the kernel has received every byte of the request, head and
 * body of body_length bytes: then nothing more is coming. */
static bool all_received(const struct connection *c, long long body_length)
{
	struct tcp_info info;
	socklen_t len = sizeof info;
	if (body_length < 0 || c->head_len == 0 ||
	    getsockopt(c->in, IPPROTO_TCP, TCP_INFO, &info, &len) != 0 ||
	    len < offsetof(struct tcp_info, tcpi_bytes_received) +
		  sizeof info.tcpi_bytes_received)
		return false;
	return info.tcpi_bytes_received >=
		(unsigned long long)c->head_len + c->proxy_len +
		(unsigned long long)body_length;
}

void conn_linger(const struct connection *c, bool body_unread,
		 long long body_length)
{
	if (!c->is_socket || !(body_unread || c->more_after_head ||
			       (c->head_refused && bytes_waiting(c))))
		return;
	/* The answer is complete: the client reads it to our FIN while the
	 * rest of what it sends is read here. */
	shutdown(c->out, SHUT_WR);
	static char sink[65536];
	long long deadline = now_ms() + LINGER_TIME_MAX * 1000LL;
	size_t dropped = 0;
	while (dropped < LINGER_BYTES_MAX) {
		bool complete = body_unread && all_received(c, body_length);
		long long left = deadline - now_ms();
		if (left <= 0)
			return;
		struct pollfd p = { .fd = c->in, .events = POLLIN };
		int wait = complete ? 0 : left < LINGER_IDLE_MAX * 1000 ? (int)left :
			LINGER_IDLE_MAX * 1000;
		if (poll(&p, 1, wait) <= 0)
			return; /* idle, all in and read, or an error */
		ssize_t n = recv(c->in, sink, sizeof sink, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return; /* the client closed: all read */
		dropped += (size_t)n;
	}
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int conn_read_chunked(const struct connection *c, long long max,
		      unsigned timeout, unsigned min_rate, int *body_fd,
		      long long *length, const char **why)
{
	long long started = now_ms(), received = 0;
	static char coded[65536], decoded[65536];
	struct chunked dec = { 0 };
	*length = 0;
	*body_fd = (int)syscall(SYS_memfd_create, "cgihandlerd-body", MFD_CLOEXEC);
	if (*body_fd < 0) {
		*why = "cannot create a file for the request body";
		return STATUS_INTERNAL_ERROR;
	}
	int status = 0;
	while (!status && dec.state != CHUNK_DONE) {
		if (wait_readable(c->in, now_ms() + (long long)timeout * 1000) != 0) {
			*why = "timed out reading a chunked body";
			status = STATUS_REQUEST_TIMEOUT;
			break;
		}
		ssize_t n = read(c->in, coded, sizeof coded);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			*why = "client closed the connection mid-body";
			status = STATUS_BAD_REQUEST;
			break;
		}
		received += n;
		long long elapsed = now_ms() - started;
		if (min_rate && elapsed > (long long)timeout * 1000 &&
		    received * 1000 < (long long)min_rate * elapsed) {
			*why = "chunked body arrives too slowly";
			status = STATUS_REQUEST_TIMEOUT;
			break;
		}
		size_t used, produced;
		status = chunked_decode(&dec, coded, (size_t)n, decoded, &used,
					&produced, why);
		if (!status && *length + (long long)produced > max) {
			*why = "chunked body larger than --max-body";
			status = STATUS_CONTENT_TOO_LARGE;
		}
		if (!status && write_all(*body_fd, decoded, produced) != 0) {
			*why = "cannot store the request body";
			status = STATUS_INTERNAL_ERROR;
		}
		*length += (long long)produced;
	}
	if (!status && lseek(*body_fd, 0, SEEK_SET) != 0) {
		*why = "cannot store the request body";
		status = STATUS_INTERNAL_ERROR;
	}
	if (status) {
		close(*body_fd);
		*body_fd = -1;
	}
	return status;
}
