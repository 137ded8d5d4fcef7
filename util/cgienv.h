/* The CGI environment of RFC 3875, with Python's run_cgi as the base:
 * which variables, where each comes from, what is kept from the inherited
 * environment. Pure: strings in, a NULL-terminated envp out; no I/O. */
#ifndef CGIHANDLERD_CGIENV_H
#define CGIHANDLERD_CGIENV_H

#include <stdbool.h>
#include <stddef.h>

#include "conn.h"
#include "request.h"

/* What the environment needs to know about the script, worked out by
 * cgi.c from the route, and about who runs it. */
struct cgi_script {
	const char *script_name;     /* "/cgi-bin/x.cgi" */
	const char *path_info;       /* decoded, "" when none */
	const char *path_translated; /* root + path_info */
	const char *document_root;   /* absolute */
	const char *script_filename; /* absolute */
	const char *home;            /* the script user's HOME, or NULL to
				      * keep the inherited one */
	const char *remote_user;     /* the user --auth verified, or NULL:
				      * AUTH_TYPE=Basic and REMOTE_USER then,
				      * and no HTTP_AUTHORIZATION */
};

struct cgi_env_block;

/* The usual environment (a superserver's, ours, a browser's headers)
 * fits in the struct itself, where its owner keeps it: no malloc, and no
 * brk or mmap for one. */
#define CGI_ENV_FIRST_VARS 96
#define CGI_ENV_FIRST_BYTES 6144

struct cgi_env {
	char **vars;   /* NULL-terminated, each "NAME=value"; NULL when empty */
	size_t n, cap;
	size_t bytes;    /* what execve(2) counts: each string and its pointer */
	size_t longest;  /* the longest "NAME=value", its NUL included */
	bool oom;
	/* Where the next variable's bytes go: first_bytes, then blocks (4 KiB,
	 * or one large variable's) freed together. */
	char *room;
	size_t room_left;
	struct cgi_env_block *blocks;
	char *first_vars[CGI_ENV_FIRST_VARS];
	char first_bytes[CGI_ENV_FIRST_BYTES];
};

/* Empty, ready for cgienv_build or cgienv_free. The variables point into
 * env itself: it must not move while they are used. */
void cgienv_init(struct cgi_env *env);

/* Builds the environment. inherited is the handler's own environ: it is
 * passed on, as Python does, less what would mislead a script. https is
 * the process's (--https); a PROXY header's TLS (conn->proxy_tls) makes
 * this request HTTPS too and adds its SSL_* variables. Returns 0,
 * 431 when it would not fit execve(2) (see cgienv_fits), or 500 when out
 * of memory. */
int cgienv_build(struct cgi_env *env, char *const *inherited,
		 const struct request *rq, const struct cgi_script *script,
		 const struct connection *conn, bool https);

/* 0 when env plus argv_bytes of arguments fits what execve(2) takes
 * (CGI_VARIABLE_MAX, CGI_ENVIRONMENT_MAX), else 431. */
int cgienv_fits(const struct cgi_env *env, size_t argv_bytes);

/* The value of NAME in env, or NULL (for tests and the relay). */
const char *cgienv_get(const struct cgi_env *env, const char *name);

void cgienv_free(struct cgi_env *env);

/* Python's ISINDEX rule: a query without '=' becomes argv[1], '+' read as
 * a space. Deliberately differs: no argument at all when the query is
 * empty, or when it would start with '-' (no script may mistake a query
 * for an option: the PHP-CGI class of bug). Returns the argument in buf,
 * or NULL for none. */
char *cgienv_argument(const char *query, char *buf, size_t cap);

/* cgienv_argument of query, kept with env's variables (freed with them):
 * the argument, or NULL for none or when out of memory (env->oom). */
char *cgienv_add_argument(struct cgi_env *env, const char *query);

#endif
