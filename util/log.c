#include "log.h"

#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "config-build.h"
#include "httpdate.h"

#include "journal.h"
#include "sigpipe.h"
#include "text.h"

/* A log line, request line and reason included, at the most. */
#define LOG_LINE_MAX 4096

enum destination { TO_STDERR, TO_SYSLOG, TO_JOURNAL };
static enum destination destination = TO_STDERR;

/* Whether fd is the file that st (fd 2's, taken once) describes. */
static bool is_stderr(const struct stat *st, int fd)
{
	struct stat other;
	return fstat(fd, &other) == 0 && st->st_dev == other.st_dev &&
		st->st_ino == other.st_ino;
}

/* fd 2 as log_early found it (stat'ed once: every request asks). */
static struct stat stderr_st;
static bool stderr_ok;

/* systemd says in JOURNAL_STREAM which "dev:ino" its journal stream is;
 * stderr being that stream means the journal is listening. */
static const char *journal_stream;

static bool stderr_is_journal(void)
{
	if (journal_stream == NULL || !stderr_ok)
		return false;
	char *end;
	unsigned long long dev = strtoull(journal_stream, &end, 10);
	if (end == journal_stream || *end != ':')
		return false;
	const char *ino_text = end + 1;
	unsigned long long ino = strtoull(ino_text, &end, 10);
	return end != ino_text && stderr_st.st_dev == dev && stderr_st.st_ino == ino;
}

/* Stderr is not ours to write to (it is the connection, or closed): fd 2
 * goes to /dev/null, and lines to the journal on a systemd machine (when
 * built with it), else to syslog. */
static void leave_stderr(void)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null >= 0 && null != 2) {
		dup2(null, 2);
		close(null);
	}
#if HAVE_JOURNAL
	if (journal_booted()) {
		destination = TO_JOURNAL;
		return;
	}
#endif
	destination = TO_SYSLOG;
	openlog("cgihandlerd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_early(void)
{
	/* fd 2 is stat'ed anyway (is it the connection, the journal?), and
	 * that says too whether it is closed. fds 0 and 1 are judged by the
	 * first open, the root's: see log_hold_std_fds. */
	stderr_ok = fstat(2, &stderr_st) == 0;
	if (!stderr_ok || (S_ISSOCK(stderr_st.st_mode) &&
			   (is_stderr(&stderr_st, 0) || is_stderr(&stderr_st, 1))))
		leave_stderr();
}

void log_hold_std_fds(void)
{
	/* Left closed, fd 0 or 1 would take the next open (a script's data
	 * file) and be written to as if it were the connection: /dev/null
	 * holds the place. One poll tells which. */
	struct pollfd fds[3] = { { .fd = 0 }, { .fd = 1 }, { .fd = 2 } };
	if (poll(fds, 3, 0) <= 0)
		return;
	for (int fd = 0; fd < 3; fd++) {
		if (!(fds[fd].revents & POLLNVAL))
			continue;
		int null = open("/dev/null", O_RDWR);
		if (null >= 0 && null != fd) {
			dup2(null, fd);
			close(null);
		}
	}
}

void log_startup(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	sigpipe_ignore();
	if (destination == TO_STDERR)
		fprintf(stderr, "cgihandlerd: %s\n", line);
	else
		syslog(LOG_ERR, "%s", line);
}


void log_open(const struct connection *c, const char *stream)
{
	journal_stream = stream;
	if (destination != TO_STDERR)
		return; /* log_early decided already */
	/* Only a socket on fd 2 can be the connection (fd 3 may have become
	 * fds 0 and 1 since log_early looked). */
	if (!stderr_ok || (S_ISSOCK(stderr_st.st_mode) &&
	    (is_stderr(&stderr_st, c->in) || is_stderr(&stderr_st, c->out)))) {
		leave_stderr();
		return;
	}
	/* Stderr is a log. Under systemd (StandardError=journal) it is the
	 * journal's stream, and lines go there with their fields. */
#if HAVE_JOURNAL
	if (stderr_is_journal())
		destination = TO_JOURNAL;
#else
	(void)stderr_is_journal;
#endif
}

bool log_to_stderr(void)
{
	/* The journal's stderr stream is a log too: scripts may write there. */
	return destination == TO_STDERR ||
		(destination == TO_JOURNAL && stderr_is_journal());
}

/* Python's _control_char_table: C0, DEL and C1 become \xNN, and the
 * backslash doubles, so that no request can forge or break a log line. */
static size_t escape(char *dst, size_t cap, const char *src)
{
	size_t len = 0;
	for (; *src && len + 5 < cap; src++) {
		unsigned char ch = (unsigned char)*src;
		if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0) || ch == '"' ||
		    ch == '\\') {
			static const char hex[] = "0123456789abcdef";
			dst[len++] = '\\';
			dst[len++] = 'x';
			dst[len++] = hex[ch >> 4];
			dst[len++] = hex[ch & 15];
		} else {
			dst[len++] = (char)ch;
		}
	}
	dst[len] = '\0';
	return len;
}

static void emit(int priority, const char *line)
{
	if (HAVE_JOURNAL && destination == TO_JOURNAL) {
		char level[4] = { (char)('0' + priority), '\0' };
		const struct journal_field fields[] = {
			{ "MESSAGE", line }, { "PRIORITY", level },
			{ "SYSLOG_IDENTIFIER", "cgihandlerd" },
		};
		if (journal_send(fields, sizeof fields / sizeof *fields) == 0)
			return;
	}
	if (destination == TO_STDERR) {
		/* One write, so lines from concurrent handlers do not mix. */
		char buf[LOG_LINE_MAX + 2];
		size_t n = strlen(line);
		if (n > LOG_LINE_MAX)
			n = LOG_LINE_MAX;
		memcpy(buf, line, n);
		buf[n++] = '\n';
		if (!stderr_ok || S_ISFIFO(stderr_st.st_mode) ||
		    S_ISSOCK(stderr_st.st_mode))
			sigpipe_ignore(); /* a log reader that died */
		(void)!write(2, buf, n);
	} else {
		syslog(priority, "%s", line);
	}
}

/* Bounded appending, for the one line every request writes (printf
 * would be most of the instructions of a static build's request). */
struct line {
	char *p;
	size_t len, cap;
};

static void put(struct line *l, const char *s)
{
	size_t n = strlen(s);
	if (n > l->cap - 1 - l->len)
		n = l->cap - 1 - l->len;
	memcpy(l->p + l->len, s, n);
	l->len += n;
	l->p[l->len] = '\0';
}

static void put_number(struct line *l, long long n)
{
	char digits[TEXT_DECIMAL_MAX];
	text_decimal(digits, n < 0 ? 0 : n);
	put(l, digits);
}

void log_request(const struct connection *c, const char *request_line,
		 int status, long long bytes, const char *script,
		 const char *why)
{
	char when[40], request[3072], text[LOG_LINE_MAX], size[24], code[16];
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);  /* as in response_status */
	httpdate_format_log(now.tv_sec, when, sizeof when);
	escape(request, sizeof request, request_line ? request_line : "");
	struct line l = { size, 0, sizeof size };
	if (bytes < 0)
		put(&l, "-");
	else
		put_number(&l, bytes);
	l = (struct line){ code, 0, sizeof code };
	if (status > 0) /* 0: an nph- script writes its own */
		put_number(&l, status);
	else
		put(&l, "-");
	l = (struct line){ text, 0, sizeof text };
	put(&l, c->peer_addr[0] ? c->peer_addr : "-");
	put(&l, " - - [");
	put(&l, when);
	put(&l, "] \"");
	put(&l, request);
	put(&l, "\" ");
	put(&l, code);
	put(&l, " ");
	put(&l, size);
	if (why) {
		put(&l, " ");
		put(&l, why);
	}
	const char *line = text;
	int priority = status >= 500 ? LOG_ERR : LOG_INFO;
	/* The same line, and its parts as fields a query can select on. */
	if (HAVE_JOURNAL && destination == TO_JOURNAL) {
		char level[4] = { (char)('0' + priority), '\0' };
		const struct journal_field fields[] = {
			{ "MESSAGE", line }, { "PRIORITY", level },
			{ "SYSLOG_IDENTIFIER", "cgihandlerd" },
			{ "REMOTE_ADDR", c->peer_addr }, { "REQUEST", request },
			{ "STATUS", code }, { "BYTES", size },
			{ "SCRIPT", script ? script : "" },
			{ "REASON", why ? why : "" },
		};
		if (journal_send(fields, sizeof fields / sizeof *fields) == 0)
			return;
	}
	emit(priority, line);
}

void log_message(const char *fmt, ...)
{
	char line[1024];
	int n = snprintf(line, sizeof line, "cgihandlerd: ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	emit(LOG_NOTICE, line);
}
