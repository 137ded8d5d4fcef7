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
#include <unistd.h>

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
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	/* ss is filled when getsockname succeeds (clang's analyzer cannot
	 * tell, and calls ss_family garbage). */
	if (getsockname(listener, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET6) {
			const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
			inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
			port = ntohs(in6->sin6_port);
		} else if (ss.ss_family == AF_INET) {
			const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
			inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
			port = ntohs(in->sin_port);
		}
	}
	bool v6 = strchr(host, ':') != NULL;
	fprintf(stderr, "Serving HTTP on %s port %u (http://%s%s%s:%u/), root %s, "
		"one process per request\n", host, port, v6 ? "[" : "", host,
		v6 ? "]" : "", port, root);
}

void listen_and_fork(const struct config *cfg)
{
	int listener = bind_listener(cfg->listen);
	/* Children are never waited for: the kernel reaps them. */
	struct sigaction sa = { .sa_handler = SIG_IGN, .sa_flags = SA_NOCLDWAIT };
	sigaction(SIGCHLD, &sa, NULL);
	announce(listener, cfg->root);
	for (;;) {
		int conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0) {
			if (errno != EINTR && errno != ECONNABORTED &&
			    errno != EMFILE && errno != ENFILE)
				fatal(EXIT_SYSTEM, "accept");
			if (errno == EMFILE || errno == ENFILE)
				sleep(1);
			continue;
		}
		pid_t pid = fork();
		if (pid == 0) {
			sa.sa_handler = SIG_DFL;
			sa.sa_flags = 0;
			sigaction(SIGCHLD, &sa, NULL);
			close(listener);
			dup2(conn, 0);
			dup2(conn, 1);
			close(conn);
			return;
		}
		if (pid < 0)
			perror("cgihandlerd: fork");
		close(conn);
	}
}
