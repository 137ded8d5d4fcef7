#include "passwd.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* 1 to 10 decimal digits, below (uid_t)-1 (which setuid takes for "no
 * change"): musl's own reader takes any run of digits, wrapped, and an
 * empty field as 0, so anything else is the library's to decide. */
static bool parse_id(const char *s, size_t n, unsigned long long *id)
{
	if (n == 0 || n > 10)
		return false;
	unsigned long long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*id = v;
	return v < (uid_t)-1 && v < (gid_t)-1;
}

/* name:password:uid:gid:gecos:home:shell, the name's own line. */
static enum passwd_result parse_line(const char *line, size_t n,
				     struct passwd_entry *e)
{
	if (memchr(line, '\0', n) != NULL)
		return PASSWD_UNSURE;
	const char *field[7];
	size_t length[7];
	const char *p = line, *end = line + n;
	for (int i = 0; i < 7; i++) {
		const char *colon = memchr(p, ':', (size_t)(end - p));
		if ((colon == NULL) != (i == 6))
			return PASSWD_UNSURE;   /* fewer or more than 7 fields */
		field[i] = p;
		length[i] = (size_t)((colon ? colon : end) - p);
		if (colon)
			p = colon + 1;
	}
	unsigned long long uid, gid;
	if (!parse_id(field[2], length[2], &uid) ||
	    !parse_id(field[3], length[3], &gid))
		return PASSWD_UNSURE;
	e->uid = (uid_t)uid;
	e->gid = (gid_t)gid;
	e->home = field[5];
	e->home_len = length[5];
	return PASSWD_FOUND;
}

enum passwd_result passwd_search(const char *text, size_t len, bool at_end,
				 const char *name, struct passwd_entry *e,
				 size_t *used)
{
	*used = 0;
	size_t name_len = strlen(name);
	/* Names that NIS compatibility lines (+name, -name) or the format
	 * itself could read otherwise. */
	if (name_len == 0 || name[0] == '+' || name[0] == '-' ||
	    strpbrk(name, ":\n") != NULL)
		return PASSWD_UNSURE;
	size_t at = 0;
	while (at < len) {
		const char *line = text + at;
		const char *newline = memchr(line, '\n', len - at);
		if (newline == NULL && !at_end)
			break;              /* the rest of it is still to come */
		size_t n = newline ? (size_t)(newline - line) : len - at;
		at += n + (newline != NULL);
		if (n > name_len && line[name_len] == ':' &&
		    memcmp(line, name, name_len) == 0) {
			*used = at;
			return parse_line(line, n, e);
		}
	}
	*used = at;
	return PASSWD_ABSENT;
}

enum passwd_result passwd_read(int fd, const char *name, char *buf, size_t cap,
			       struct passwd_entry *e)
{
	size_t have = 0, used;
	for (;;) {
		ssize_t n = read(fd, buf + have, cap - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return PASSWD_UNSURE;
		have += (size_t)n;
		enum passwd_result found = passwd_search(buf, have, n == 0, name, e, &used);
		if (found != PASSWD_ABSENT || n == 0)
			return found;
		if (used == 0 && have == cap)
			return PASSWD_UNSURE;   /* a line longer than buf */
		/* The cut line's start, kept for the read that ends it. */
		memmove(buf, buf + used, have - used);
		have -= used;
	}
}
