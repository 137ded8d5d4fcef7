/*
 * cgihandlerd: one HTTP request, from a superserver's connection on fds 0
 * and 1, answered with a file below the root or by exec'ing a CGI script
 * in place. Python's CGIHTTPRequestHandler, as a program an operator can
 * put behind inetd, xinetd, systemd or tcpserver. See cgihandlerd(8).
 *
 * main() is the request's path through the program, one stage a line;
 * each stage returns 0 to go on or the HTTP status that ends the request.
 */
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "cgi.h"
#include "config.h"
#include "conn.h"
#include "file.h"
#include "bounds.h"
#include "log.h"
#include "listen.h"
#include "request.h"
#include "response.h"
#include "route.h"
#include "status.h"
#include "vhost.h"

/* A client that stops reading must not hold the handler for ever: each
 * write may stall for at most the head timeout. Pipes ignore this. */
static void bound_write_stalls(int fd, unsigned seconds)
{
	struct timeval tv = { .tv_sec = seconds };
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

int main(int argc, char **argv)
{
	static char head[HEAD_MAX + 1]; /* 1 MiB: too big for the stack of a
					 * script-sized process, so in .bss */
	struct config cfg;
	struct connection conn;
	struct request rq;
	struct target target = { .fd = -1 };
	struct response out;
	const char *why = NULL;
	size_t head_len = 0;

	log_early();                        /* fd 2 may be the client */
	config_from_args(&cfg, argc, argv);
	if (cfg.listen)
		listen_and_fork(&cfg);      /* returns in each child */
	signal(SIGPIPE, SIG_IGN);           /* a gone client is an EPIPE */
	conn_open(&conn, cfg.listen == NULL);
	log_open(&conn);
	bound_write_stalls(conn.out, cfg.head_timeout);
	response_init(&out, conn.out, false);

	int status = conn_read_head(&conn, head, sizeof head, &head_len,
				    cfg.head_timeout, &why);
	if (status == CONN_CLOSED)
		return 0;                   /* nothing asked, nothing to say */
	if (!status)
		status = request_parse(head, head_len, &rq, &why);
	else
		request_log_line(head, head_len, rq.log_line, sizeof rq.log_line);
	out.head_only = !status && rq.method == METHOD_HEAD;
	if (!status && cfg.vhost)
		status = vhost_select(&cfg, &rq, &why); /* root = ROOT/HOST */
	if (!status)
		status = route(&cfg, &rq, &target, &why);
	if (!status)
		status = target.kind == TARGET_CGI
			? cgi_exec(&cfg, &conn, &rq, &target, &out, &why)
			: file_send(&cfg, &rq, &target, &out, &why);
	if (status)
		response_error(&out, status, why);
	log_request(&conn, rq.log_line, out.status,
		    out.status == STATUS_NOT_MODIFIED ? -1 : out.body_bytes,
		    out.failed ? "client went away" : status ? why : NULL);
	return 0;
}
