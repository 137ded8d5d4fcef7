/* The systemd journal's native protocol, spoken directly: one datagram
 * an entry to journald's socket, each field NAME=value (a value with a
 * newline in its length-prefixed form). No library: the build that logs
 * to the journal loads nothing more than the one that does not. Does
 * socket I/O only. */
#ifndef CGIHANDLERD_JOURNAL_H
#define CGIHANDLERD_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

struct journal_field {
	const char *name;   /* upper case, digits and '_' */
	const char *value;
};

/* Whether this machine runs systemd (sd_booted(3)'s test). */
bool journal_booted(void);

/* Sends one entry. Returns 0, or -1 (no journald, or the entry is larger
 * than a datagram may be). */
int journal_send(const struct journal_field *fields, size_t n);

#endif
