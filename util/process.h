/* What the process is made into before it becomes a CGI script: the
 * script user and the privilege drop, and the state a script starts from
 * (signals, limits, fds, stderr, the watchdog). Process calls only; no
 * request is read or written here. */
#ifndef CGIHANDLERD_PROCESS_H
#define CGIHANDLERD_PROCESS_H

#include <stdbool.h>

#include "config.h"

/* Who runs the scripts, as the privilege drop found it. home is NULL
 * while nothing was dropped (the inherited HOME stands). */
struct script_user {
	bool dropped;
	char home[1024];
};

/* Started as root: setgroups, setgid, setuid to cfg->user, in that order,
 * each checked, then proof that root cannot be had back, and u filled.
 * Not root (or dropped already): nothing to do. Returns 0 or 500 with
 * *why. */
int process_drop_privileges(const struct config *cfg, struct script_user *u,
			    const char **why);

/* The state a script starts from: default signal dispositions and an
 * empty mask, the CPU limit, fd 2 on the log, no fd but 0, 1 and 2, and
 * the --cgi-timeout watchdog. */
void process_prepare_for_script(const struct config *cfg);

#endif
