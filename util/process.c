#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "passwd.h"
#include "status.h"
#include "text.h"

/* Where the kernel has 16-bit ids still (i386, arm), the 32-bit calls
 * are the ones the C library's setuid() makes. */
#ifdef SYS_setuid32
#define SYS_SETUID SYS_setuid32
#define SYS_SETGID SYS_setgid32
#define SYS_SETGROUPS SYS_setgroups32
#else
#define SYS_SETUID SYS_setuid
#define SYS_SETGID SYS_setgid
#define SYS_SETGROUPS SYS_setgroups
#endif

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_pidfd_open   /* C library headers older than Linux 5.3 */
#define SYS_pidfd_open 434
#endif

/* glibc's getpwnam asks each source nsswitch.conf names, in its order
 * (LDAP, systemd's dynamic users), and only it knows them. musl's reads
 * /etc/passwd, and only for a name the file lacks asks nscd: the file read
 * here first gives the answer musl would, without the stdio stream's
 * buffers, its fcntl and its lseek (12 system calls: 3 or 4 here). */
#ifdef __GLIBC__
#define PASSWD_FILE_FIRST 0
#else
#define PASSWD_FILE_FIRST 1
#endif

/* name's line of /etc/passwd, when it is plainly well formed; false sends
 * the caller to getpwnam, which reads the file again and goes on. */
static bool user_from_passwd_file(const char *name, struct passwd_entry *e,
				  char *buf, size_t cap)
{
	/* openat: open() adds an fcntl for kernels before O_CLOEXEC (musl). */
	int fd = openat(AT_FDCWD, "/etc/passwd", O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return false;
	enum passwd_result found = passwd_read(fd, name, buf, cap, e);
	close(fd);
	return found == PASSWD_FOUND;
}

/* The script user's ids and home; false: no such user. */
static bool script_user_entry(const char *name, struct passwd_entry *e,
			      char *buf, size_t cap)
{
	if (PASSWD_FILE_FIRST && user_from_passwd_file(name, e, buf, cap))
		return true;
	struct passwd *pw = getpwnam(name);
	if (pw == NULL)
		return false;
	e->uid = pw->pw_uid;
	e->gid = pw->pw_gid;
	e->home = pw->pw_dir;
	e->home_len = strlen(pw->pw_dir);
	return true;
}

int process_drop_privileges(const struct config *cfg, struct script_user *u,
			    const char **why)
{
	if (geteuid() != 0 && getuid() != 0)
		return 0;
	char passwd_text[PASSWD_LINE_MAX];
	struct passwd_entry pw;
	if (!script_user_entry(cfg->user, &pw, passwd_text, sizeof passwd_text)) {
		*why = "unknown --user";
		return STATUS_INTERNAL_ERROR;
	}
	if (pw.uid == 0) {
		*why = "refusing to run a CGI script as root";
		return STATUS_INTERNAL_ERROR;
	}
	gid_t gid = pw.gid;
	/* The system calls themselves: the process has one thread, and the C
	 * library's wrappers would block and restore every signal around
	 * each call to reach threads that do not exist. */
	if (syscall(SYS_SETGROUPS, 1, &gid) != 0 ||
	    syscall(SYS_SETGID, gid) != 0 || syscall(SYS_SETUID, pw.uid) != 0) {
		*why = "cannot drop privileges";
		return STATUS_INTERNAL_ERROR;
	}
	if (syscall(SYS_SETUID, 0) == 0 || geteuid() == 0 || getegid() == 0) {
		*why = "root privileges still held after the drop";
		return STATUS_INTERNAL_ERROR;
	}
	/* As su(1) does: a script as nobody has no business with /root. */
	u->dropped = true;
	text_append(u->home, sizeof u->home, 0, pw.home, pw.home_len);
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

/* fork(2) itself. The C library's fork blocks and restores every signal
 * and runs atfork handlers, for threads and locks this process does not
 * have: six system calls in each process, on every CGI request. Only for
 * children that make nothing but system calls. flags SIGCHLD and zeros:
 * the same on every architecture, whatever order clone's others take. */
static pid_t fork_bare(void)
{
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
}

/* --cgi-timeout: the script leads a process group of its own, and a small
 * detached watchdog kills the whole group at the deadline, so that a
 * script's children (a shell's "sleep") cannot keep the connection open
 * past it. The watchdog holds no fd of the connection, and leaves as soon
 * as the group is gone. A pidfd tells it when the script ends; only then,
 * or without one, does it look for the group once a second. (Looking once
 * a second from the start kept every watchdog alive up to a second past
 * its script: on a busy server, a thousand idle processes.) */
static void start_watchdog(unsigned seconds)
{
	pid_t group = getpid();
	/* A session leader (setsid'ed by whoever started us) cannot move,
	 * but already leads its own group. */
	if (setpgid(0, 0) != 0 && getpgrp() != group)
		return;
	/* Opened here, where the pid is surely this process, the script to
	 * be; close-on-exec, so the script never sees it. -1 before Linux
	 * 5.3. */
	int script = (int)syscall(SYS_pidfd_open, group, 0U);
	pid_t pid = fork_bare();
	if (pid != 0) {
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return;
	}
	if (fork_bare() != 0)
		_exit(0);
	setsid(); /* out of the group it watches */
	/* Every fd above 2 but the pidfd is closed already
	 * (process_prepare_for_script); the watchdog writes nothing and
	 * opens nothing, so 0 to 2 go too. */
	if (syscall(SYS_close_range, 0U, 2U, 0) != 0)
		for (int fd = 0; fd < 3; fd++)
			close(fd);
	unsigned waited = 0;
	if (script >= 0) {
		struct timespec start, now;
		clock_gettime(CLOCK_MONOTONIC, &start);
		struct pollfd ended = { .fd = script, .events = POLLIN };
		if (ppoll(&ended, 1, &(struct timespec){ .tv_sec = seconds }, NULL) == 0) {
			waited = seconds;   /* the deadline, the script still running */
		} else {
			clock_gettime(CLOCK_MONOTONIC, &now);
			waited = (unsigned)(now.tv_sec - start.tv_sec);
			/* Until its parent reaps it, the script's zombie still
			 * counts in the group: a superserver takes a moment. */
			nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
		}
	}
	for (; waited < seconds; waited++) {
		if (kill(-group, 0) != 0)
			_exit(0);
		sleep(1);
	}
	kill(-group, SIGKILL);
	_exit(0);
}

/* The signals this process ignores, from /proc/self/status ("SigIgn:"
 * and a hex mask, bit n-1 for signal n); false when it cannot be told. */
static bool ignored_signals(unsigned long long *mask)
{
	char status[4096];
	/* openat: open() adds an fcntl for kernels before O_CLOEXEC (musl). */
	int fd = openat(AT_FDCWD, "/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, status, sizeof status - 1);
	close(fd);
	if (n <= 0)
		return false;
	status[n] = '\0';
	const char *line = strstr(status, "\nSigIgn:");
	if (line == NULL)
		return false;
	char *end;
	errno = 0;
	*mask = strtoull(line + sizeof "\nSigIgn:" - 1, &end, 16);
	return errno == 0 && end != line + sizeof "\nSigIgn:" - 1;
}

/* Exec resets a signal that has a handler, not one that is ignored:
 * SIGPIPE (if a write here needed it ignored) and whatever a superserver
 * left ignored would reach the script so. Only those are reset, one call
 * each, rather than one call for every signal there is. */
static void reset_ignored_signals(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	unsigned long long ignored;
	bool known = ignored_signals(&ignored);
	for (int sig = 1; sig < NSIG && sig <= 64; sig++)
		if (!known || (ignored >> (sig - 1) & 1))
			sigaction(sig, &dfl, NULL);
}

void process_prepare_for_script(const struct config *cfg)
{
	/* Dispositions set to a handler are reset by exec itself; an ignored
	 * one (SIGPIPE, if ignored here; anything a superserver left ignored)
	 * and the mask survive it. */
	reset_ignored_signals();
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
