#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"
#include "status.h"

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

int process_drop_privileges(const struct config *cfg, struct script_user *u,
			    const char **why)
{
	if (geteuid() != 0 && getuid() != 0)
		return 0;
	struct passwd *pw = getpwnam(cfg->user);
	if (pw == NULL) {
		*why = "unknown --user";
		return STATUS_INTERNAL_ERROR;
	}
	if (pw->pw_uid == 0) {
		*why = "refusing to run a CGI script as root";
		return STATUS_INTERNAL_ERROR;
	}
	gid_t gid = pw->pw_gid;
	if (setgroups(1, &gid) != 0 || setgid(gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		*why = "cannot drop privileges";
		return STATUS_INTERNAL_ERROR;
	}
	if (setuid(0) == 0 || geteuid() == 0 || getegid() == 0) {
		*why = "root privileges still held after the drop";
		return STATUS_INTERNAL_ERROR;
	}
	/* As su(1) does: a script as nobody has no business with /root. */
	u->dropped = true;
	snprintf(u->home, sizeof u->home, "%s", pw->pw_dir);
	return 0;
}

/* When log lines go to syslog, so does what a script writes to stderr: a
 * small process, detached (double fork) so that no script ever has to
 * wait for it, reads a pipe and logs each line. */
static void stderr_to_syslog(void)
{
	int p[2];
	if (pipe(p) != 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		if (fork() != 0)
			_exit(0);
		close(p[1]);
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		FILE *in = fdopen(p[0], "r");
		char line[1024];
		while (in && fgets(line, sizeof line, in)) {
			line[strcspn(line, "\n")] = '\0';
			syslog(LOG_NOTICE, "script: %s", line);
		}
		_exit(0);
	}
	close(p[0]);
	if (pid > 0) {
		waitpid(pid, NULL, 0);
		dup2(p[1], 2);
	}
	close(p[1]);
}

/* --cgi-timeout: the script leads a process group of its own, and a small
 * detached watchdog kills the whole group at the deadline, so that a
 * script's children (a shell's "sleep") cannot keep the connection open
 * past it. The watchdog holds no fd of the connection, and leaves as soon
 * as the group is gone. */
static void start_watchdog(unsigned seconds)
{
	pid_t group = getpid();
	/* A session leader (setsid'ed by whoever started us) cannot move,
	 * but already leads its own group. */
	if (setpgid(0, 0) != 0 && getpgrp() != group)
		return;
	pid_t pid = fork();
	if (pid != 0) {
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return;
	}
	if (fork() != 0)
		_exit(0);
	setsid(); /* out of the group it watches */
	int null = open("/dev/null", O_RDWR);
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	syscall(SYS_close_range, 3U, ~0U, 0);
	for (unsigned waited = 0; waited < seconds; waited++) {
		sleep(1);
		if (kill(-group, 0) != 0)
			_exit(0);
	}
	kill(-group, SIGKILL);
	_exit(0);
}

void process_prepare_for_script(const struct config *cfg)
{
	/* Dispositions set to a handler are reset by exec itself; an ignored
	 * one (SIGPIPE here, anything a superserver left ignored) and the
	 * mask survive it. */
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (cfg->cgi_cpu) {
		struct rlimit cpu = { cfg->cgi_cpu, cfg->cgi_cpu + 1 };
		setrlimit(RLIMIT_CPU, &cpu);
	}
	if (!log_to_stderr())
		stderr_to_syslog();
	if (syscall(SYS_close_range, 3U, ~0U, 0) != 0) {
		long max = sysconf(_SC_OPEN_MAX);
		for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
			close(fd);
	}
	if (cfg->cgi_timeout) {
		alarm(cfg->cgi_timeout); /* the script itself, even alone */
		start_watchdog(cfg->cgi_timeout);
	}
}
