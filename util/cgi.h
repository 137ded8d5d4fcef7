/* CGI, decided then done: cgi_prepare works out everything a script is
 * given (paths, environment, argv, response mode) into a plan, with no
 * side effect but opening the script's directory; cgi_become makes the
 * process into the script and never returns. Writes only through
 * response (the status line that precedes a script's output). */
#ifndef CGIHANDLERD_CGI_H
#define CGIHANDLERD_CGI_H

#include <stdbool.h>

#include "cgienv.h"
#include "config.h"
#include "confine.h"
#include "conn.h"
#include "request.h"
#include "response.h"
#include "target.h"

enum cgi_mode {
	CGI_EXEC,   /* Python's "200 Script output follows", then the script */
	CGI_NPH,    /* nph- scripts write their own status line (RFC 3875 5) */
	CGI_RELAY,  /* --parse-headers: the script's header block decides */
};

/* Everything the script is called, worked out once from the route. */
struct cgi_paths {
	/* First, with the plan's small fields: the one that every request
	 * touches (cgi_plan_init empties it for the log), on their page. */
	char filename[REAL_PATH_MAX + URL_PATH_MAX + 4];
	char name[URL_PATH_MAX + 2];       /* SCRIPT_NAME */
	char file[URL_PATH_MAX + 1];       /* last component: argv[0] */
	char exec_name[URL_PATH_MAX + 2];  /* what runs, in dir: file, or the
					    * file a symlinked script leads to */
	char path_info[URL_PATH_MAX + 2];
	char dir[URL_PATH_MAX + 2];        /* relative to the root, or "." */
	char translated[REAL_PATH_MAX + URL_PATH_MAX + 4];
};

struct cgi_plan {
	enum cgi_mode mode;
	int dir_fd;              /* the script's directory, beneath the root */
	bool send_continue;      /* answer Expect: 100-continue first */
	int stdin_fd;            /* the decoded body as the script's stdin, or -1 */
	long long body_length;   /* Content-Length, -1 when none */
	bool close_after;        /* a body is on the connection: a child runs
				  * the script, and this process closes the
				  * connection in order after it (see cgi_become) */
	struct cgi_env env;
	char *argv[3];           /* argv[1], if any, is kept in env */
	struct cgi_paths paths;  /* last: 37 kB, mostly untouched */
};

/* Fills plan for the script t names, as the script user (privileges are
 * dropped already); home is that user's HOME or NULL, remote_user the user
 * --auth verified or NULL. Returns 0, or an HTTP status with *why; either
 * way cgi_plan_free releases plan. */
int cgi_prepare(const struct config *cfg, const struct connection *conn,
		const struct request *rq, const struct target *t,
		const char *home, const char *remote_user, struct cgi_plan *plan,
		const char **why);

/* What precedes the script's own bytes: 100 Continue when asked for, and
 * in exec mode Python's status line. */
void cgi_start_response(struct response *out, const struct cgi_plan *plan);

/* The script's directory as the working one, the process state a script
 * starts from, then the exec. Only a failure to exec is left to report,
 * and the status line may be out: it is logged, and the exit code says
 * it (126, 127). With close_after, the script runs as a child instead,
 * and this process waits for it, then reads and drops what is left of a
 * body the script did not read (conn_linger) before the connection
 * closes: a script that exits with body bytes unread would otherwise
 * have its response ended by a reset. */
_Noreturn void cgi_become(const struct config *cfg, const struct connection *conn,
			  struct cgi_plan *plan);

/* An empty plan, cheaply: the fields cgi_plan_free and the log look at,
 * not the 30 KiB of paths (which cgi_prepare fills). */
void cgi_plan_init(struct cgi_plan *plan);

void cgi_plan_free(struct cgi_plan *plan);

#endif
