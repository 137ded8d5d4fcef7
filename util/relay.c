#include "relay.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "status.h"

int relay_fork(struct relay *r, const char **why)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0) {
		*why = "cannot create a pipe";
		return STATUS_INTERNAL_ERROR;
	}
	r->pid = fork();
	if (r->pid == 0) {
		dup2(p[1], 1); /* the new fd 1 does not inherit O_CLOEXEC */
		close(p[0]);
		close(p[1]);
		return RELAY_CHILD;
	}
	close(p[1]);
	if (r->pid < 0) {
		close(p[0]);
		*why = "cannot fork";
		return STATUS_INTERNAL_ERROR;
	}
	r->from_script = p[0];
	return 0;
}

/* Where the header block ends: just past its empty line, or 0. */
static size_t block_end(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	if (len >= 1 && buf[0] == '\n')
		return 1;
	if (len >= 2 && buf[0] == '\r' && buf[1] == '\n')
		return 2;
	return 0;
}

/* Closes the pipe and waits for the script. A script that is not done
 * (its answer was refused, or was a local redirect) is killed first:
 * nothing it could still write would be used, and the client must not
 * wait for it. */
static void reap(struct relay *r, bool kill_first)
{
	int wstatus;
	close(r->from_script);
	r->from_script = -1;
	if (kill_first)
		kill(r->pid, SIGKILL);
	while (waitpid(r->pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0)
		log_message("CGI script exit status %d", WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		log_message("CGI script killed by signal %d", WTERMSIG(wstatus));
}

struct script_head {
	int status;             /* from Status:, 0 if none */
	char reason[64];
	const char *location;
	const char *names[100];
	const char *values[100];
	unsigned n;
};

static bool is_token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

/* RFC 3875 6.3: CGI-field = name ":" value NL. Anything else is a broken
 * gateway answer (502). */
static int parse_script_head(char *buf, size_t len, struct script_head *h,
			     const char **why)
{
	memset(h, 0, sizeof *h);
	char *line = buf;
	while (line < buf + len) {
		char *nl = memchr(line, '\n', (size_t)(buf + len - line));
		if (nl == NULL)
			break;
		*nl = '\0';
		if (nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		if (*line == '\0')
			break;
		char *colon = strchr(line, ':');
		for (char *p = line; colon && p < colon; p++)
			if (!is_token_char((unsigned char)*p))
				colon = NULL;
		if (colon == NULL || colon == line) {
			*why = "malformed header from CGI script";
			return STATUS_BAD_GATEWAY;
		}
		*colon = '\0';
		char *value = colon + 1 + strspn(colon + 1, " \t");
		for (char *p = value; *p; p++)
			if ((unsigned char)*p < 0x20 && *p != '\t') {
				*why = "control character in CGI header";
				return STATUS_BAD_GATEWAY;
			}
		if (strcasecmp(line, "Status") == 0) {
			char *end;
			long code = strtol(value, &end, 10);
			if (end != value + 3 || code < 100 || code > 599 ||
			    (*end != '\0' && *end != ' ')) {
				*why = "bad Status from CGI script";
				return STATUS_BAD_GATEWAY;
			}
			h->status = (int)code;
			snprintf(h->reason, sizeof h->reason, "%s",
				 *end ? end + 1 : status_reason((int)code));
		} else if (strcasecmp(line, "Location") == 0) {
			h->location = value;
		} else if (strcasecmp(line, "Connection") == 0 ||
			   strcasecmp(line, "Server") == 0 ||
			   strcasecmp(line, "Date") == 0) {
			/* ours; a second copy would contradict them */
		} else if (h->n < sizeof h->names / sizeof *h->names) {
			h->names[h->n] = line;
			h->values[h->n++] = value;
		} else {
			*why = "too many headers from CGI script";
			return STATUS_BAD_GATEWAY;
		}
		line = nl + 1;
	}
	return 0;
}

/* Reads until the header block ends; *len bytes are in buf, *end past
 * the block. */
static int read_script_head(struct relay *r, char *buf, size_t cap,
			    size_t *len, size_t *end, const char **why)
{
	*len = *end = 0;
	while (*end == 0) {
		if (*len == cap) {
			*why = "CGI header block too large";
			return STATUS_BAD_GATEWAY;
		}
		ssize_t n = read(r->from_script, buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*why = *len ? "CGI header block not ended" :
				"CGI script wrote nothing";
			return STATUS_BAD_GATEWAY;
		}
		*len += (size_t)n;
		*end = block_end(buf, *len);
	}
	return 0;
}

int relay_response(struct relay *r, struct response *out, char *location,
		   size_t cap, const char **why)
{
	static char buf[SCRIPT_HEAD_MAX];
	size_t len, end;
	struct script_head h;
	int status = read_script_head(r, buf, sizeof buf, &len, &end, why);
	if (!status)
		status = parse_script_head(buf, end, &h, why);
	if (status) {
		reap(r, true);
		return status;
	}
	/* RFC 3875 6.2.2: a local path, and the server answers it itself.
	 * "//host" is a network-path reference, not local. */
	if (h.location && h.location[0] == '/' && h.location[1] != '/' &&
	    h.status == 0) {
		snprintf(location, cap, "%s", h.location);
		reap(r, true);
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
	response_from_pipe(out, r->from_script);
	/* The response is complete: the client gets its EOF now, although
	 * the script still holds the socket as its stdin. */
	shutdown(out->fd, SHUT_WR);
	reap(r, out->head_only);
	return 0;
}
