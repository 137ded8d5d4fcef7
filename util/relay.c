#include "relay.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgiheader.h"
#include "log.h"
#include "status.h"

/* Closes the pipe and waits for the script. A script that is not done
 * (its answer was refused, or was a local redirect) is killed first:
 * nothing it could still write would be used, and the client must not
 * wait for it. */
static void reap(pid_t pid, int from_script, bool kill_first)
{
	int wstatus = 0;
	close(from_script);
	if (kill_first)
		kill(pid, SIGKILL);
	while (waitpid(pid, &wstatus, 0) < 0) {
		if (errno != EINTR)
			return; /* nothing to say about a child we cannot wait for */
	}
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0)
		log_message("CGI script exit status %d", WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		log_message("CGI script killed by signal %d", WTERMSIG(wstatus));
}

/* Reads until the header block ends; *len bytes are in buf, *end past
 * the block. */
static int read_script_head(int from_script, char *buf, size_t cap,
			    size_t *len, size_t *end, const char **why)
{
	*len = *end = 0;
	while (*end == 0) {
		if (*len == cap) {
			*why = "CGI header block too large";
			return STATUS_BAD_GATEWAY;
		}
		ssize_t n = read(from_script, buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*why = *len ? "CGI header block not ended" :
				"CGI script wrote nothing";
			return STATUS_BAD_GATEWAY;
		}
		*len += (size_t)n;
		*end = cgiheader_end(buf, *len);
	}
	return 0;
}

/* RFC 3875 6.2.2: a local path, and the server answers it itself.
 * "//host" is a network-path reference, not local. */
static bool is_local(const struct cgi_header_block *h)
{
	return h->location && h->location[0] == '/' && h->location[1] != '/' &&
		h->status == 0;
}

static enum relay_result answer(int from_script, struct response *out,
				char *location, size_t cap, int *status,
				const char **why)
{
	static char buf[SCRIPT_HEAD_MAX];
	size_t len, end;
	struct cgi_header_block h;
	*status = read_script_head(from_script, buf, sizeof buf, &len, &end, why);
	if (!*status)
		*status = cgiheader_parse(buf, end, &h, why);
	if (*status)
		return RELAY_REFUSED;
	if (is_local(&h)) {
		if (strlen(h.location) >= cap) {
			*why = "local Location from CGI script too long";
			*status = STATUS_BAD_GATEWAY;
			return RELAY_REFUSED;
		}
		strcpy(location, h.location);
		return RELAY_LOCAL_REDIRECT;
	}
	int code = h.status ? h.status : h.location ? STATUS_FOUND : STATUS_OK;
	response_status(out, code, h.status ? h.reason : NULL);
	if (h.location)
		response_header(out, "Location", "%s", h.location);
	for (unsigned i = 0; i < h.n; i++)
		response_header(out, h.names[i], "%s", h.values[i]);
	response_end_head(out);
	response_body(out, buf + end, len - end);
	response_from_pipe(out, from_script);
	/* The response is complete: the client gets its EOF now, although
	 * the script still holds the socket as its stdin. */
	shutdown(out->fd, SHUT_WR);
	return RELAY_ANSWERED;
}

enum relay_result relay_run(const struct config *cfg, struct cgi_plan *plan,
			    struct response *out, char *location, size_t cap,
			    int *status, const char **why)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0) {
		*why = "cannot create a pipe";
		*status = STATUS_INTERNAL_ERROR;
		return RELAY_REFUSED;
	}
	/* An inherited SIG_IGN would let the kernel reap the script before
	 * waitpid could ask how it ended. */
	signal(SIGCHLD, SIG_DFL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1); /* the new fd 1 does not inherit O_CLOEXEC */
		cgi_become(cfg, NULL, plan);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		*why = "cannot fork";
		*status = STATUS_INTERNAL_ERROR;
		return RELAY_REFUSED;
	}
	enum relay_result result = answer(p[0], out, location, cap, status, why);
	reap(pid, p[0], result != RELAY_ANSWERED || out->head_only);
	return result;
}
