#include "listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
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

static int bind_listener(const char *spec)
{
	char host[256];
	const char *port;
	split_address(spec, host, sizeof host, &port);
	if (*port == '\0' || strspn(port, "0123456789") != strlen(port)) {
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
		    listen(fd, 128) != 0) {
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

static void note_child(int sig)
{
	(void)sig; /* only to interrupt accept(2) */
}

/* Waits for one child when block, else collects those already gone;
 * returns how many were collected. */
static unsigned reap_children(bool block)
{
	unsigned gone = 0;
	while (waitpid(-1, NULL, block && gone == 0 ? 0 : WNOHANG) > 0)
		gone++;
	return gone;
}

void listen_and_fork(const struct config *cfg)
{
	int listener = bind_listener(cfg->listen);
	announce(listener, cfg->root);
	/* Handlers are counted, so they are waited for; SIGCHLD interrupts
	 * accept so that they are as soon as they end (and an inherited
	 * SIG_IGN would make the kernel reap them unseen). */
	struct sigaction sa = { .sa_handler = note_child };
	sigaction(SIGCHLD, &sa, NULL);
	unsigned running = 0;
	for (;;) {
		/* At the cap, connections wait in the listen queue (the kernel
		 * holds them) until a handler is done: queued, not refused. */
		running -= reap_children(running >= cfg->max_children);
		int conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0) {
			/* Every failure of accept is the moment's (EMFILE, ENOMEM,
			 * ENOBUFS, a connection reset before it was taken): the
			 * server goes on, after a pause if resources ran out. */
			if (errno != EINTR && errno != ECONNABORTED)
				usleep(100 * 1000);
			continue;
		}
		pid_t pid = fork();
		if (pid == 0) {
			signal(SIGCHLD, SIG_DFL);
			close(listener);
			dup2(conn, 0);
			dup2(conn, 1);
			close(conn);
			return;
		}
		if (pid > 0)
			running++;
		else
			log_message("cannot fork a handler: %s", strerror(errno));
		close(conn);
	}
}
