/* Validators and conditional requests (RFC 9110 8.8, 13): the strong ETag
 * of a file, and what If-Match, If-None-Match, If-Modified-Since,
 * If-Unmodified-Since and If-Range make of a GET or HEAD. Pure: strings
 * and numbers in, a decision out; no I/O. */
#ifndef CGIHANDLERD_CONDITIONAL_H
#define CGIHANDLERD_CONDITIONAL_H

#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

/* '"' ino '-' size '-' seconds '.' nanoseconds '"', in hex, NUL. */
#define ETAG_MAX 72

/* A strong ETag: inode, size and modification time to the nanosecond, so
 * a file rewritten within one second (same size) still gets a new one. */
void conditional_etag(const struct stat *st, char etag[ETAG_MAX]);

/* The request's precondition headers, NULL when absent. */
struct preconditions {
	const char *if_match;
	const char *if_none_match;
	const char *if_modified_since;
	const char *if_unmodified_since;
	const char *if_range;
};

/* RFC 9110 13.2.2 for a GET or HEAD of a file that exists, with etag and
 * Last-Modified time mtime: 0 to go on, STATUS_PRECONDITION_FAILED (412)
 * or STATUS_NOT_MODIFIED (304). If-Modified-Since counts only without
 * If-None-Match, as in Python's send_head; dates that do not parse are
 * ignored. */
int conditional_evaluate(const struct preconditions *pc, const char *etag,
			 time_t mtime);

/* Whether a Range may be honoured: true without If-Range, or when it names
 * etag (strong comparison) or is exactly the date mtime. */
bool conditional_if_range(const struct preconditions *pc, const char *etag,
			  time_t mtime);

#endif
