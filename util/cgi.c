#include "cgi.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "process.h"
#include "status.h"
#include "text.h"

extern char **environ;

static int script_paths(const char *root, const struct target *t,
			struct cgi_paths *s, const char **why)
{
	const struct url_path *p = &t->path;
	unsigned after = t->script + 1;
	text_copy(s->file, sizeof s->file, p->component[t->script]);
	if (url_join(p, 0, after, s->name, sizeof s->name) == (size_t)-1 ||
	    url_fs_path(p, t->script, s->dir, sizeof s->dir) == (size_t)-1 ||
	    url_join(p, after, p->n - after, s->path_info,
		     sizeof s->path_info - 1) == (size_t)-1) {
		*why = "path too long";
		return STATUS_URI_TOO_LONG;
	}
	if (p->trailing_slash)
		strcat(s->path_info, "/");
	/* A symlinked script runs from the directory of what it leads to. */
	text_copy(s->exec_name, sizeof s->exec_name, s->file);
	if (t->script_real[0]) {
		const char *slash = strrchr(t->script_real, '/');
		text_copy(s->exec_name, sizeof s->exec_name,
			  slash ? slash + 1 : t->script_real);
		size_t n = slash ? (size_t)(slash - t->script_real) : 0;
		if (n == 0)
			strcpy(s->dir, ".");
		else if (n < sizeof s->dir) {
			memcpy(s->dir, t->script_real, n);
			s->dir[n] = '\0';
		}
	}
	/* The root "/" joins as "" before a path that starts with '/'. */
	const char *base = strcmp(root, "/") == 0 ? "" : root;
	text_join(s->filename, sizeof s->filename, base, s->name);
	text_join(s->translated, sizeof s->translated, base, s->path_info);
	return 0;
}

int cgi_prepare(const struct config *cfg, const struct connection *conn,
		const struct request *rq, const struct target *t,
		const char *home, const char *remote_user, struct cgi_plan *plan,
		const char **why)
{
	cgi_plan_init(plan);
	plan->stdin_fd = rq->body_fd;
	struct cgi_paths *s = &plan->paths;
	int status = script_paths(confine_root_real(&cfg->root_dir), t, s, why);
	if (status)
		return status;
	bool nph = strncmp(s->file, "nph-", 4) == 0;
	plan->mode = nph ? CGI_NPH : cfg->parse_headers ? CGI_RELAY : CGI_EXEC;
	plan->send_continue = rq->expect_continue && rq->minor >= 1;
	/* Exec in place cannot close in order; a relay reads the body's end
	 * itself. Only a request with a body still on the connection pays
	 * for the extra process. */
	plan->close_after = plan->mode != CGI_RELAY && rq->content_length > 0 &&
		rq->body_fd < 0;
	plan->body_length = rq->content_length;

	status = confine_open(&cfg->root_dir, s->dir, O_PATH | O_DIRECTORY,
			      &plan->dir_fd, why);
	if (status)
		return status;
	if (faccessat(plan->dir_fd, s->exec_name, X_OK, AT_EACCESS) != 0) {
		*why = "CGI script is not executable";
		return STATUS_FORBIDDEN;
	}

	struct cgi_script script = {
		.script_name = s->name,
		.path_info = s->path_info,
		.path_translated = s->translated,
		.document_root = confine_root_real(&cfg->root_dir),
		.script_filename = s->filename,
		.home = home,
		.remote_user = remote_user,
	};
	status = cgienv_build(&plan->env, environ, rq, &script, conn, cfg->https);
	if (status) {
		*why = status == STATUS_HEADERS_TOO_LARGE ?
			"headers too large for a CGI environment" : "out of memory";
		return status;
	}
	/* The query may be 64 KiB: its argument is not kept on the stack. */
	plan->argv[0] = s->file;
	plan->argv[1] = cgienv_add_argument(&plan->env, rq->query);
	if (plan->env.oom) {
		*why = "out of memory";
		return STATUS_INTERNAL_ERROR;
	}
	if (cgienv_fits(&plan->env, strlen(plan->argv[0]) + 1 +
			(plan->argv[1] ? strlen(plan->argv[1]) + 1 : 0)) != 0) {
		*why = "headers too large for a CGI environment";
		return STATUS_HEADERS_TOO_LARGE;
	}
	return 0;
}

void cgi_start_response(struct response *out, const struct cgi_plan *plan)
{
	if (plan->send_continue)
		response_interim(out, STATUS_CONTINUE);
	if (plan->mode == CGI_EXEC) {
		/* Python's one line; the script writes the rest of the head. */
		response_status(out, STATUS_OK, "Script output follows");
		response_flush(out);
	}
}

/* The script runs by a path its interpreter can open again: "./name",
 * from its directory. Python makes that absolute and reopens it, which
 * fails where the user cannot search the directories above the root (a
 * site below /root, mode 0700): then "/proc/self/cwd/name", a path that
 * needs no search permission above the script's own directory. */
/* close_after: this process stays as the script's parent; returns in the
 * child, or (no fork) in this process, which then execs in place. */
static void fork_to_close_after(const struct connection *conn,
				struct cgi_plan *plan)
{
	signal(SIGCHLD, SIG_DFL); /* an inherited SIG_IGN: no one to wait for */
	pid_t pid = fork();
	if (pid <= 0)
		return;
	cgi_plan_free(plan);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	conn_linger(conn, true, plan->body_length);
	_exit(0);
}

_Noreturn void cgi_become(const struct config *cfg, const struct connection *conn,
			  struct cgi_plan *plan)
{
	const struct cgi_paths *s = &plan->paths;
	if (plan->close_after)
		fork_to_close_after(conn, plan);
	if (plan->stdin_fd >= 0)
		dup2(plan->stdin_fd, 0); /* fd 0's copy is not close-on-exec */
	/* RFC 3875 7.2: the script runs in its own directory (Python leaves
	 * it in the server's). */
	if (fchdir(plan->dir_fd) != 0) {
		log_message("cannot enter the directory of %s: %s", s->name,
			    strerror(errno));
		_exit(EXIT_EXEC_FAILED);
	}
	char path[URL_PATH_MAX + 24];
	bool unreachable = faccessat(AT_FDCWD, s->filename, X_OK, AT_EACCESS) != 0 &&
		errno == EACCES;
	text_join(path, sizeof path, unreachable ? "/proc/self/cwd/" : "./",
		  s->exec_name);
	process_prepare_for_script(cfg);
	/* The directory is the one cgi_prepare confined; its last component
	 * must not have become a symlink (out of the root) since. */
	syscall(SYS_execveat, AT_FDCWD, path, plan->argv, plan->env.vars,
		AT_SYMLINK_NOFOLLOW);
	/* No execveat: a kernel before 3.19 (ENOSYS), or a tool that does not
	 * model it (valgrind 3.19 answers EBADF for AT_FDCWD, which no kernel
	 * does). The last component is checked, then execve: a narrower
	 * window than none, but a window. */
	struct stat st;
	if ((errno == ENOSYS || errno == EBADF) &&
	    fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			errno = ELOOP;
		else
			execve(path, plan->argv, plan->env.vars);
	}
	/* The status line may be out already: this can only be logged. */
	int err = errno;
	log_message("cannot exec %s: %s", s->name, strerror(err));
	_exit(err == ENOENT ? EXIT_EXEC_MISSING : EXIT_EXEC_FAILED);
}

void cgi_plan_init(struct cgi_plan *plan)
{
	plan->mode = CGI_EXEC;
	plan->dir_fd = plan->stdin_fd = -1;
	plan->send_continue = plan->close_after = false;
	plan->body_length = -1;
	cgienv_init(&plan->env);
	plan->argv[0] = plan->argv[1] = plan->argv[2] = NULL;
	plan->paths.filename[0] = '\0';
}

void cgi_plan_free(struct cgi_plan *plan)
{
	if (plan->dir_fd >= 0)
		close(plan->dir_fd);
	plan->dir_fd = -1;
	cgienv_free(&plan->env);
	plan->argv[1] = NULL;   /* it was kept with the environment */
	plan->paths.filename[0] = '\0';
}
