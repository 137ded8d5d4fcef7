/* The script user's line in /etc/passwd, found in the file's text the way
 * musl's getpwnam finds it: the first well-formed line of that name.
 * passwd_search is pure (bytes in, an entry out that points into them);
 * passwd_read reads an fd it is given and opens nothing (process.c opens
 * the file). Whatever this parser is not sure of is left to the C
 * library. */
#ifndef CGIHANDLERD_PASSWD_H
#define CGIHANDLERD_PASSWD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Bytes of one line the handler reads whole (passwd_read's buffer): a
 * longer line is the C library's to read. */
#define PASSWD_LINE_MAX 4096

struct passwd_entry {
	uid_t uid;
	gid_t gid;
	const char *home;   /* not NUL-terminated: home_len bytes */
	size_t home_len;
};

enum passwd_result {
	PASSWD_FOUND,       /* *e is the name's line */
	PASSWD_ABSENT,      /* no line of the text has the name */
	PASSWD_UNSURE,      /* the name's line is not plainly well formed, or
			     * the name cannot be told from this text alone */
};

/* Looks for name in text[0..len): every line that ends in '\n', and the
 * last one without it too when at_end (the file ends there). A line of
 * the name must be exactly seven ':'-separated fields with decimal ids
 * below (uid_t)-1 and no NUL, else PASSWD_UNSURE; lines of other names are
 * skipped whatever they hold, as musl skips them. *used is the length of
 * the whole lines looked at (on PASSWD_ABSENT: what the caller may drop). */
enum passwd_result passwd_search(const char *text, size_t len, bool at_end,
				 const char *name, struct passwd_entry *e,
				 size_t *used);

/* passwd_search over what fd holds, read into buf (cap bytes: the longest
 * line it can take) as it goes; *e points into buf. A read error, or a
 * line longer than cap, is PASSWD_UNSURE. */
enum passwd_result passwd_read(int fd, const char *name, char *buf, size_t cap,
			       struct passwd_entry *e);

#endif
