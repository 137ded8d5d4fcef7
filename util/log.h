/* One Common Log Format line per request, and the server's own messages.
 * To stderr when stderr is not the connection; otherwise to syslog. Built
 * with the journal (the default): to it, with fields, by its native
 * protocol, when stderr is the journal stream (JOURNAL_STREAM) or is the
 * connection on a systemd machine.
 * Writes only logs. */
#ifndef CGIHANDLERD_LOG_H
#define CGIHANDLERD_LOG_H

#include "conn.h"

/* First thing in main: if fd 2 is closed, or is the connection (xinetd
 * and inetd give the socket as fd 2 too), it is pointed at /dev/null and
 * everything, start-up errors included, goes to syslog, so nothing
 * reaches the client by accident. */
void log_early(void);

/* A closed fd 0, 1 or 2 is opened onto /dev/null. Called when an open
 * returned a number below 3, which is how a closed one shows: the usual
 * process, whose standard fds are all there, pays no call for it. */
void log_hold_std_fds(void);

/* A start-up message ("fatal: ...", a usage error): to stderr, or to
 * syslog after log_early decided so. */
__attribute__((format(printf, 1, 2)))
void log_startup(const char *fmt, ...);

/* Decides where logs go, journal_stream being systemd's JOURNAL_STREAM
 * (or NULL). Call after conn_open. If fd 2 is the connection
 * (xinetd, StandardError=socket), it is pointed at /dev/null so that no
 * stray write can reach the client. */
void log_open(const struct connection *c, const char *journal_stream);

/* true when fd 2 is a log (plain stderr, or the journal's stream), so a
 * CGI script's stderr may go there as it is. */
bool log_to_stderr(void);

/* host - - [date] "request line" status bytes  (bytes < 0 logs "-", and so does status 0),
 * with why appended after the status when the request was refused. script
 * is the CGI script's file name (the journal's SCRIPT= field), or NULL. */
void log_request(const struct connection *c, const char *request_line,
		 int status, long long bytes, const char *script,
		 const char *why);

/* A message of the server's own ("CGI script exit status 1"). */
__attribute__((format(printf, 1, 2)))
void log_message(const char *fmt, ...);

#endif
