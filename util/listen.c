#include "listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conn.h"
#include "log.h"

/* "[::1]:8000", "127.0.0.1:8000", "localhost:8000", "8000". */
static void split_address(const char *spec, char *host, size_t cap,
			  const char **port)
{
	const char *colon = strrchr(spec, ':');
	host[0] = '\0';
	*port = spec;
	if (colon == NULL)
		return;
	size_t n = (size_t)(colon - spec);
	const char *h = spec;
	if (n >= 2 && spec[0] == '[' && spec[n - 1] == ']') {
		h++;
		n -= 2;
	}
	if (n >= cap) {
		log_startup("address too long: %s", spec);
		exit(EXIT_USAGE);
	}
	memcpy(host, h, n);
	host[n] = '\0';
	*port = colon + 1;
}

/* The listen queue: a burst beyond LISTEN_HANDLERS_MAX waits there. The
 * kernel caps it at net.core.somaxconn (4096 since Linux 5.4). */
#define LISTEN_BACKLOG 4096

static int bind_listener(const char *spec)
{
	char host[256];
	const char *port;
	split_address(spec, host, sizeof host, &port);
	/* getaddrinfo takes the port modulo 65536 (65537 is port 1), and
	 * port 0 would be any port: refuse both. */
	if (*port == '\0' || strspn(port, "0123456789") != strlen(port) ||
	    strlen(port) > 5 || atoi(port) < 1 || atoi(port) > 65535) {
		log_startup("invalid --listen '%s' (want [ADDR:]PORT; try "
			    "'cgihandlerd --help')", spec);
		exit(EXIT_USAGE);
	}
	struct addrinfo hints = {
		.ai_family = host[0] ? AF_UNSPEC : AF_INET6,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE | AI_NUMERICSERV,
	}, *res = NULL;
	int err = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (err != 0 && !host[0]) {
		hints.ai_family = AF_INET; /* no IPv6 on this machine */
		err = getaddrinfo(NULL, port, &hints, &res);
	}
	if (err != 0) {
		log_startup("cannot resolve '%s': %s", spec, gai_strerror(err));
		exit(EXIT_USAGE);
	}
	int fd = -1;
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		int on = 1, off = 0;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
		if (ai->ai_family == AF_INET6 && !host[0])
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
		    listen(fd, LISTEN_BACKLOG) != 0) {
			int saved = errno;
			close(fd);
			fd = -1;
			errno = saved;
		}
	}
	freeaddrinfo(res);
	if (fd < 0) {
		char what[300];
		snprintf(what, sizeof what, "unable to listen on %s", spec);
		fatal(EXIT_SYSTEM, what);
	}
	return fd;
}

/* As Python's server says it: where, and a URL to open. */
static void announce(int listener, const char *root)
{
	struct sockaddr_storage ss = { .ss_family = AF_UNSPEC };
	socklen_t len = sizeof ss;
	char host[ADDR_MAX] = "", port[PORT_MAX] = "";
	if (getsockname(listener, (struct sockaddr *)&ss, &len) == 0)
		conn_format_address(&ss, host, port);
	bool v6 = strchr(host, ':') != NULL;
	fprintf(stderr, "Serving HTTP on %s port %s (http://%s%s%s:%s/), root %s, "
		"one process per request\n", host[0] ? host : "?",
		port[0] ? port : "0", v6 ? "[" : "", host[0] ? host : "?",
		v6 ? "]" : "", port[0] ? port : "0", root);
}

/* systemd's Accept=no hands the listening socket over as fd 3
 * (sd_listen_fds(3)): that one, and only one, listening stream socket.
 * The variables go, so that no handler or script sees them. */
static int systemd_listener(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	bool ours = pid && fds && strtol(pid, NULL, 10) == (long)getpid() &&
		strcmp(fds, "1") == 0;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	int type = 0, listening = 0;
	socklen_t len = sizeof type;
	if (!ours || getsockopt(3, SOL_SOCKET, SO_TYPE, &type, &len) != 0 ||
	    type != SOCK_STREAM ||
	    getsockopt(3, SOL_SOCKET, SO_ACCEPTCONN, &listening,
		       &(socklen_t){ sizeof listening }) != 0 || !listening) {
		log_startup("--listen systemd: no listening stream socket from "
			    "systemd (want LISTEN_FDS=1 for this process, from a "
			    "socket unit with Accept=no)");
		exit(EXIT_USAGE);
	}
	fcntl(3, F_SETFD, FD_CLOEXEC);
	return 3;
}

/* SIGCHLD only interrupts ppoll; the children are reaped in the loop. */
static void on_child(int sig)
{
	(void)sig;
}

void listen_and_fork(const struct config *cfg)
{
	bool from_systemd = strcmp(cfg->listen, LISTEN_SYSTEMD) == 0;
	int listener = from_systemd ? systemd_listener()
				    : bind_listener(cfg->listen);
	/* SIGCHLD stays blocked but while the loop waits in ppoll, so that
	 * counting the handlers races with nothing. */
	sigset_t chld, old, waiting;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	waiting = old;
	sigdelset(&waiting, SIGCHLD);
	struct sigaction sa = { .sa_handler = on_child, .sa_flags = SA_NOCLDSTOP };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	if (!from_systemd)
		announce(listener, cfg->root);
	unsigned running = 0;
	for (;;) {
		while (running > 0 && waitpid(-1, NULL, WNOHANG) > 0)
			running--;
		/* At the bound, connections wait in the listen queue rather
		 * than being accepted and refused. */
		struct pollfd pfd = { .fd = listener, .events = POLLIN };
		int n = ppoll(&pfd, running < cfg->max_children ? 1 : 0, NULL,
			      &waiting);
		if (n <= 0)
			continue;           /* EINTR: a handler ended */
		int conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0) {
			/* Every failure of accept is the moment's (EMFILE, ENOMEM,
			 * ENOBUFS, a connection reset before it was taken): the
			 * server goes on, after a pause if resources ran out. */
			if (errno != EINTR && errno != ECONNABORTED && errno != EAGAIN)
				usleep(100 * 1000);
			continue;
		}
		pid_t pid = fork();
		if (pid == 0) {
			/* The handler, and the script it execs, start with
			 * the signal state the listener started with. */
			sa.sa_handler = SIG_DFL;
			sigaction(SIGCHLD, &sa, NULL);
			sigprocmask(SIG_SETMASK, &old, NULL);
			close(listener);
			dup2(conn, 0);
			dup2(conn, 1);
			close(conn);
			return;
		}
		if (pid < 0)
			log_message("cannot fork a handler: %s", strerror(errno));
		else
			running++;
		close(conn);
	}
}
