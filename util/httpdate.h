/* HTTP dates (RFC 9110 5.6.7) and log dates. Pure: no I/O, and no time
 * zone files read: everything is UTC. */
#ifndef CGIHANDLERD_HTTPDATE_H
#define CGIHANDLERD_HTTPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define HTTPDATE_LEN 30  /* "Sun, 06 Nov 1994 08:49:37 GMT" + NUL */

/* IMF-fixdate, as Python's email.utils.formatdate(usegmt=True); times
 * outside 1970..9999 are clamped to the nearest end. */
void httpdate_format(time_t t, char buf[HTTPDATE_LEN]);

/* Common Log Format: "06/Nov/1994:08:49:37 +0000". */
void httpdate_format_log(time_t t, char *buf, size_t cap);

#define HTTPDATE_ISO_LEN 21  /* "1994-11-06T08:49:37Z" + NUL */

/* The calendar date of the last time formatted: a listing writes a time
 * for each entry, mostly of a few days, and the date is most of the work.
 * Zero-initialised, it holds none. */
struct httpdate_day {
	bool known;
	long long day;    /* days since 1970-01-01 */
	char date[10];    /* "YYYY-MM-DD" */
};

/* ISO 8601 in UTC, as strftime's "%Y-%m-%dT%H:%M:%SZ" of gmtime: for
 * years 1..9999, always HTTPDATE_ISO_LEN - 1 bytes; returns false (buf
 * untouched) outside them. last, if not NULL, is read and kept up to
 * date; the text is the same with it or without. */
bool httpdate_format_iso(struct httpdate_day *last, time_t t,
			 char buf[HTTPDATE_ISO_LEN]);

/* IMF-fixdate, RFC 850 and asctime forms, strictly (real dates, exact
 * digit counts). Returns 0 and sets *t, or -1
 * for anything else, and for a zone other than GMT/UTC/UT/+0000/-0000:
 * Python ignores an If-Modified-Since that is not in UTC, and so do we. */
int httpdate_parse(const char *s, time_t *t);

#endif
