#include "cgi.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "cgienv.h"
#include "confine.h"
#include "file.h"
#include "log.h"
#include "relay.h"
#include "status.h"

extern char **environ;

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/* A script may redirect internally (RFC 3875 6.2.2) to another script,
 * which may do the same: a bound stops a loop. */
#define LOCAL_REDIRECTS_MAX 5

/* Everything the script is called, worked out once from the route. */
struct script_paths {
	char name[URL_PATH_MAX + 2];       /* SCRIPT_NAME */
	char dir[URL_PATH_MAX + 2];        /* relative to the root, or "." */
	char file[URL_PATH_MAX + 1];       /* last component */
	char path_info[URL_PATH_MAX + 2];
	char root[4096];
	char filename[4096 + URL_PATH_MAX + 4];
	char translated[4096 + URL_PATH_MAX + 4];
};

/* Fills *s; reads nothing of it first (cppcheck's ctuuninitvar thinks it
 * does). */
static int script_paths(const char *root, const struct target *t,
			struct script_paths *s, const char **why)
{
	const struct url_path *p = &t->path;
	unsigned after = t->script + 1;
	snprintf(s->file, sizeof s->file, "%s", p->component[t->script]);
	if (url_join(p, 0, after, s->name, sizeof s->name) == (size_t)-1 ||
	    url_join(p, 0, t->script, s->dir, sizeof s->dir) == (size_t)-1 ||
	    url_join(p, after, p->n - after, s->path_info,
		     sizeof s->path_info - 1) == (size_t)-1) {
		*why = "path too long";
		return STATUS_URI_TOO_LONG;
	}
	if (s->dir[0] == '\0')
		strcpy(s->dir, "/.");
	if (p->trailing_slash)
		strcat(s->path_info, "/");
	snprintf(s->root, sizeof s->root, "%s", root);
	if (strcmp(s->root, "/") == 0)
		s->root[0] = '\0';
	snprintf(s->filename, sizeof s->filename, "%s%s", s->root, s->name);
	snprintf(s->translated, sizeof s->translated, "%s%s", s->root,
		 s->path_info);
	if (s->root[0] == '\0')
		strcpy(s->root, "/");
	return 0;
}

/* setgroups, setgid, setuid, in that order, each checked; then proof that
 * root cannot be had back. Only when started as root. */
static int drop_privileges(const struct config *cfg, const char **why)
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
	setenv("HOME", pw->pw_dir, 1);
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

/* The state a script starts from: default signal dispositions and an
 * empty mask (an ignored SIGPIPE would survive exec), the limits (both
 * survive exec), fd 2 on the log, and no fd but 0, 1 and 2. */
static void prepare_process(const struct config *cfg)
{
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

/* The script runs by a path its interpreter can open again: "./name",
 * from its directory. Python makes that absolute and reopens it, which
 * fails where the user cannot search the directories above the root (a
 * site below /root, mode 0700): then "/proc/self/cwd/name", a path that
 * needs no search permission above the script's own directory. */
_Noreturn static void exec_script(const struct script_paths *s,
				  char *const argv[], char *const envp[])
{
	char path[URL_PATH_MAX + 24];
	bool unreachable = faccessat(AT_FDCWD, s->filename, X_OK, AT_EACCESS) != 0 &&
		errno == EACCES;
	snprintf(path, sizeof path, "%s%s",
		 unreachable ? "/proc/self/cwd/" : "./", s->file);
	execve(path, argv, envp);
	/* The status line may be out already: this can only be logged. */
	int err = errno;
	log_message("cannot exec %s: %s", s->name, strerror(err));
	_exit(err == ENOENT ? EXIT_EXEC_MISSING : EXIT_EXEC_FAILED);
}

static int run(const struct config *cfg, const char *root,
	       const struct connection *conn, const struct request *rq,
	       const struct target *t, struct response *out, const char **why,
	       unsigned depth);

/* RFC 3875 6.2.2: a local Location is answered as if it had been asked
 * for, with GET and no body. */
static int local_redirect(const struct config *cfg, const char *root,
			  const struct connection *conn,
			  const struct request *rq, char *location,
			  struct response *out, const char **why,
			  unsigned depth)
{
	if (depth >= LOCAL_REDIRECTS_MAX) {
		*why = "too many local redirects";
		return STATUS_INTERNAL_ERROR;
	}
	struct request again = *rq;
	/* A GET has no body: the first request's body headers do not apply. */
	static const char *const body_headers[] = {
		"Content-Length", "Content-Type", "Transfer-Encoding", "Expect",
	};
	again.n_headers = 0;
	for (unsigned i = 0; i < rq->n_headers; i++) {
		bool keep = true;
		for (size_t b = 0; b < sizeof body_headers / sizeof *body_headers; b++)
			keep = keep && strcasecmp(rq->headers[i].name, body_headers[b]) != 0;
		if (keep)
			again.headers[again.n_headers++] = rq->headers[i];
	}
	again.method = out->head_only ? METHOD_HEAD : METHOD_GET;
	again.method_name = out->head_only ? "HEAD" : "GET";
	again.content_length = -1;
	again.expect_continue = false;
	again.path = location;
	again.query = NULL;
	char *q = strchr(location, '?');
	if (q) {
		*q = '\0';
		again.query = q + 1;
	}
	struct target t = { .fd = -1 };
	int status = route(cfg, &again, &t, why);
	if (!status)
		status = t.kind == TARGET_CGI
			? run(cfg, root, conn, &again, &t, out, why, depth + 1)
			: file_send(cfg, &again, &t, out, why);
	if (t.fd >= 0)
		close(t.fd);
	return status;
}

static int run(const struct config *cfg, const char *root,
	       const struct connection *conn, const struct request *rq,
	       const struct target *t, struct response *out, const char **why,
	       unsigned depth)
{
	struct script_paths s;
	int status = script_paths(root, t, &s, why);
	if (status)
		return status;
	bool nph = strncmp(s.file, "nph-", 4) == 0;
	log_set_script(s.filename);

	int dir;
	status = confine_open(cfg->root_fd, s.dir + 1, O_PATH | O_DIRECTORY,
			      &dir, why);
	if (status)
		return status;
	/* RFC 3875 7.2: the script runs in its own directory (Python leaves
	 * it in the server's). */
	int err = fchdir(dir) == 0 ? 0 : errno;
	close(dir);
	if (err) {
		*why = "cannot enter the script's directory";
		return status_from_errno(err);
	}
	if (depth == 0) {
		status = drop_privileges(cfg, why);
		if (status)
			return status;
	}
	if (faccessat(AT_FDCWD, s.file, X_OK, AT_EACCESS) != 0) {
		*why = "CGI script is not executable";
		return STATUS_FORBIDDEN;
	}

	struct cgi_env env;
	struct cgi_script script = {
		.script_name = s.name,
		.path_info = s.path_info,
		.path_translated = s.translated,
		.document_root = s.root,
		.script_filename = s.filename,
	};
	bool https = cfg->https || getenv("SSL_PROTOCOL") != NULL;
	status = cgienv_build(&env, environ, rq, &script, conn, https);
	if (status) {
		cgienv_free(&env);
		*why = status == STATUS_HEADERS_TOO_LARGE ?
			"headers too large for a CGI environment" : "out of memory";
		return status;
	}
	/* The query may be 64 KiB: its argument is not kept on a stack that
	 * a chain of local redirects multiplies. */
	size_t argument_cap = rq->query ? strlen(rq->query) + 1 : 1;
	char *argument = malloc(argument_cap);
	char *argv[] = {
		s.file,
		argument ? cgienv_argument(rq->query, argument, argument_cap) : NULL,
		NULL,
	};
	if (argument == NULL || cgienv_fits(&env, strlen(argv[0]) + 1 +
			(argv[1] ? strlen(argv[1]) + 1 : 0)) != 0) {
		free(argument);
		cgienv_free(&env);
		*why = argument ? "headers too large for a CGI environment" :
			"out of memory";
		return argument ? STATUS_HEADERS_TOO_LARGE : STATUS_INTERNAL_ERROR;
	}
	if (rq->expect_continue && rq->minor >= 1)
		response_interim(out, STATUS_CONTINUE);

	if (cfg->parse_headers && !nph) {
		/* RFC 3875 6: the script's header block decides the status
		 * line, at the price of this process staying as a relay. */
		struct relay relay;
		char location[URL_PATH_MAX + 1];
		status = relay_fork(&relay, why);
		if (status == RELAY_CHILD) {
			prepare_process(cfg);
			exec_script(&s, argv, env.vars);
		}
		cgienv_free(&env);
		free(argument);
		if (!status)
			status = relay_response(&relay, out, location,
						sizeof location, why);
		if (status == RELAY_LOCAL_REDIRECT)
			return local_redirect(cfg, root, conn, rq, location,
					      out, why, depth);
		return status;
	}

	/* Python's one line, then the script is the process. nph- scripts
	 * write their own status line (RFC 3875 5). */
	if (!nph) {
		response_status(out, STATUS_OK, "Script output follows");
		response_flush(out);
	}
	log_request(conn, rq->log_line, nph ? 0 : STATUS_OK, -1, NULL);
	prepare_process(cfg);
	exec_script(&s, argv, env.vars);
}

int cgi_exec(const struct config *cfg, const struct connection *conn,
	     const struct request *rq, const struct target *t,
	     struct response *out, const char **why)
{
	/* The root's real path, once, while the working directory is still
	 * the server's and before privileges are dropped. */
	char root[4096];
	if (confine_real_path(cfg->root_fd, root, sizeof root) != 0 &&
	    realpath(cfg->root, root) == NULL) {
		*why = "cannot resolve the root";
		return STATUS_INTERNAL_ERROR;
	}
	return run(cfg, root, conn, rq, t, out, why, 0);
}
