/* The command line, parsed once into one struct config that every stage
 * receives const. Prints usage/version and exits on its own; no other I/O. */
#ifndef CGIHANDLERD_CONFIG_H
#define CGIHANDLERD_CONFIG_H

#include <stdbool.h>

#include "confine.h"
#include "environ.h"
#include "proxy.h"

#define CGI_DIRS_MAX 16
#define CGI_METHODS_MAX 16
#define PROXY_FROM_MAX 16

/* Exit codes, documented in cgihandlerd(8). */
enum {
	EXIT_USAGE = 100,       /* bad option or value */
	EXIT_SYSTEM = 111,      /* a system call failed at start-up */
	EXIT_EXEC_FAILED = 126, /* the script was found but could not run */
	EXIT_EXEC_MISSING = 127,
};

struct config {
	const char *root;           /* DIRECTORY argument, default "." */
	struct confine_root root_dir; /* opened once, its real path with it;
				       * fd -1 when it cannot be (not --listen) */
	const char *listen;         /* --listen [ADDR:]PORT, or NULL */
	unsigned head_timeout;      /* --timeout, seconds */
	bool show_hidden;           /* --show-hidden */
	/* CGI (see cgi.h) */
	const char *cgi_dirs[CGI_DIRS_MAX]; /* --cgi-dir, default /cgi-bin /htbin */
	unsigned n_cgi_dirs;
	unsigned cgi_timeout;       /* --cgi-timeout seconds, 0 = none */
	unsigned cgi_cpu;           /* --cgi-cpu seconds, 0 = none */
	const char *user;           /* --user, default "nobody" */
	bool allow_writable_scripts;
	bool parse_headers;         /* --parse-headers: RFC 3875 relay mode */
	bool https;                 /* --https, or a TLS front end's SSL_PROTOCOL;
				     * a PROXY header's SSL TLV is per request
				     * (connection.proxy_tls) */
	const char *auth_file;      /* --auth FILE, read for each request */
	bool auth_over_http;        /* --auth-over-http: a password without TLS */
	bool proxy_protocol;        /* --proxy-protocol, or any --proxy-from */
	struct proxy_net proxy_from[PROXY_FROM_MAX]; /* --proxy-from */
	unsigned n_proxy_from;
	struct environ_facts env;   /* what the environment says, read once */
	unsigned max_children;      /* --max-children, handlers at once (--listen) */
	unsigned min_send_rate;     /* --min-send-rate, bytes/s, 0 = none */
	long long max_body;         /* --max-body: a chunked body, decoded */
	const char *cgi_methods[CGI_METHODS_MAX]; /* --cgi-methods, beyond GET HEAD POST */
	unsigned n_cgi_methods;
	/* Static files (see file.h) */
	const char *charset;        /* --charset NAME for text types, or NULL */
	long max_age;               /* --max-age seconds, -1 = no Cache-Control */
	bool precompressed;         /* --precompressed: FILE.br/.zst/.gz */
	bool listing_simple;        /* --listing=simple: Python's exact page */
	bool vhost;                 /* --vhost: ROOT/HOST/ per request */
	char site_root[REAL_PATH_MAX + 256]; /* --vhost: this request's ROOT/HOST */
	long listing_max_age;       /* --listing-max-age seconds, -1 = none */
};

/* Fills cfg, which must be all zeros (a static one is, for free), from
 * argv and the facts that hold for the whole process (the
 * root and its real path, HTTPS). Exits EXIT_USAGE on a bad command
 * line, 0 after --help/--version, EXIT_SYSTEM if the root cannot be
 * opened with --listen (without, logs it and leaves root_dir.fd -1). */
void config_from_args(struct config *cfg, int argc, char **argv);

/* A person who runs the handler by hand sees a silent wait for the
 * request head: this tells them what it expects. */
void config_hint_terminal(const struct config *cfg);

/* "cgihandlerd: fatal: <what>: <strerror(errno)>" and exit(code). */
_Noreturn void fatal(int code, const char *what);

#endif
