/*
 * cgihandlerd: one HTTP request, from a superserver's connection on fds 0
 * and 1, answered with a file below the root or by exec'ing a CGI script
 * in place. Python's CGIHTTPRequestHandler, as a program an operator can
 * put behind inetd, xinetd, systemd or tcpserver. See cgihandlerd(8).
 *
 * main() is the request's path through the program, one stage a line;
 * each stage returns 0 to go on or the HTTP status that ends the request.
 * Both halves end in the same two lines: one error writer, one log line.
 * A CGI script in exec mode becomes the process only after that.
 */
#include <stdlib.h>

#include "authcheck.h"
#include "bounds.h"
#include "cgi.h"
#include "config.h"
#include "conn.h"
#include "file.h"
#include "listen.h"
#include "log.h"
#include "process.h"
#include "relay.h"
#include "request.h"
#include "response.h"
#include "route.h"
#include "status.h"
#include "vhost.h"

/* A chunked body is read before the script starts, decoded into a file
 * that becomes its stdin, so that it gets a CONTENT_LENGTH as RFC 3875
 * wants. The client that waits for 100 Continue gets it first. */
static int read_chunked_body(const struct config *cfg,
			     const struct connection *conn, struct request *rq,
			     struct response *out, const char **why)
{
	if (rq->expect_continue && rq->minor >= 1)
		response_interim(out, STATUS_CONTINUE);
	rq->expect_continue = false;
	return conn_read_chunked(conn, cfg->max_body, cfg->head_timeout,
				 cfg->min_send_rate, &rq->body_fd,
				 &rq->content_length, why);
}

int main(int argc, char **argv)
{
	static char head[HEAD_MAX + 1]; /* 1 MiB: too big for the stack of a
					 * script-sized process, so in .bss */
	static char location[URL_PATH_MAX + 1]; /* a local redirect's target */
	static struct config cfg;           /* zeros, as config_from_args wants */
	struct connection conn;
	struct request rq;
	/* Large: set field by field, where they are read (a { 0 } would
	 * clear 60 KiB for every request). */
	struct target target;
	struct cgi_plan plan;
	struct script_user user;
	struct response out;
	struct auth_table auth = { 0 };     /* --auth, read for this request */
	struct auth_result granted;
	const char *why = NULL;
	size_t head_len = 0;
	int status = 0;
	bool become_script = false;

	target.kind = TARGET_FILE;
	target.fd = -1;
	granted.user = NULL;
	granted.challenge[0] = '\0';
	cgi_plan_init(&plan);
	user.dropped = false;

	log_early();                        /* fd 2 may be the client */
	config_from_args(&cfg, argc, argv);
	if (cfg.listen)
		listen_and_fork(&cfg);      /* returns in each child */
	conn_open(&conn, cfg.listen ? NULL : &cfg.env);
	if (conn.is_terminal && !cfg.listen)
		config_hint_terminal(&cfg);
	log_open(&conn, cfg.env.journal_stream);
	response_init(&out, conn.out, false);
	out.write_timeout = cfg.head_timeout;   /* set when a write may wait */
	out.min_rate = cfg.min_send_rate;
	out.rate_grace = cfg.head_timeout;

	enum head_result got = HEAD_READ;
	if (cfg.proxy_protocol)             /* the client, from a front end */
		got = conn_read_proxy(&conn, cfg.proxy_from, cfg.n_proxy_from,
				      cfg.head_timeout, &status, &why);
	if (got == HEAD_READ)
		got = conn_read_head(&conn, head, sizeof head, &head_len,
				     cfg.head_timeout, &status, &why);
	out.to_socket = conn.is_socket;    /* known once something was read */
	switch (got) {
	case HEAD_READ:
		status = request_parse(head, head_len, &rq, &why);
		break;
	case HEAD_REFUSED:
		request_log_line(head, head_len, rq.log_line, sizeof rq.log_line);
		rq.n_headers = 0;
		rq.content_length = -1;
		rq.chunked = false;
		rq.body_fd = -1;
		break;
	case HEAD_NONE:
		return 0;                   /* nothing asked, nothing to say */
	default:
		log_message("can't happen: unknown conn_read_head result");
		return EXIT_SYSTEM;
	}
	out.head_only = request_line_is_head(rq.log_line);
	if (!status && cfg.root_dir.fd < 0) {   /* logged by config_from_args */
		status = STATUS_INTERNAL_ERROR;
		why = "document root cannot be opened";
	}
	if (!status && cfg.vhost)
		status = vhost_select(&cfg, &rq, &why); /* root = ROOT/HOST */
	if (!status && cfg.auth_file)       /* unusable: nothing is served */
		status = authcheck_load(cfg.auth_file, &auth, &why);

	for (unsigned redirects = 0; !status; redirects++) {
		status = route_path(&cfg, &rq, &target, &why);
		if (!status && cfg.auth_file)   /* before a file is looked at */
			status = authcheck_request(&cfg, &conn, &auth, &rq,
						   &target.path, &granted, &why);
		if (!status)
			status = route(&cfg, &rq, &target, &why);
		if (!status && target.kind != TARGET_CGI) {
			status = file_send(&cfg, &rq, &target, &out, &why);
			break;
		}
		if (!status)                /* before the script is looked at */
			status = process_drop_privileges(&cfg, &user, &why);
		conn_bound_writes(&conn, cfg.head_timeout); /* the script's too */
		if (!status && rq.chunked && rq.body_fd < 0)
			status = read_chunked_body(&cfg, &conn, &rq, &out, &why);
		cgi_plan_free(&plan);
		if (!status)
			status = cgi_prepare(&cfg, &conn, &rq, &target,
					     user.dropped ? user.home : NULL,
					     granted.user, &plan, &why);
		if (status)
			break;
		conn_bound_reads(&conn, cfg.head_timeout); /* the script's body */
		cgi_start_response(&out, &plan);
		if (plan.mode != CGI_RELAY) {
			become_script = true;  /* after the log line */
			break;
		}
		switch (relay_run(&cfg, &plan, &out, location, sizeof location,
				  &status, &why)) {
		case RELAY_ANSWERED:
		case RELAY_REFUSED:
			break;
		case RELAY_LOCAL_REDIRECT:
			if (redirects < LOCAL_REDIRECTS_MAX) {
				status = request_redirect(&rq, location, &why);
			} else {
				why = "too many local redirects";
				status = STATUS_INTERNAL_ERROR;
			}
			continue;
		default:
			why = "can't happen: unknown relay_run result";
			status = STATUS_INTERNAL_ERROR;
		}
		break;
	}

	if (status)                         /* a 401 says how to log in */
		response_error_with(&out, status, why, granted.challenge[0] ?
				    "WWW-Authenticate" : NULL, granted.challenge);
	log_request(&conn, rq.log_line, out.status,
		    become_script || out.status == STATUS_NOT_MODIFIED ? -1 :
		    out.body_bytes, target.kind == TARGET_CGI &&
		    plan.paths.filename[0] ? plan.paths.filename : NULL,
		    out.too_slow ? "client read too slowly" :
		    out.failed ? "client went away" : status ? why : NULL);
	if (become_script)
		cgi_become(&cfg, &conn, &plan); /* the script is the process now */
	cgi_plan_free(&plan);
	authcheck_free(&auth);
	/* A body nobody read may still be coming. */
	conn_linger(&conn, (rq.content_length > 0 && rq.body_fd < 0) ||
		    (rq.chunked && rq.body_fd < 0),
		    rq.chunked ? -1 : rq.content_length);
	return 0;
}
