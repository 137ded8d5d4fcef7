/* passwd_search: the script user's line found as musl's getpwnam finds it,
 * and every line it is not sure of left to the C library; the text cut
 * at every length, as reads cut the file, and the file read through
 * buffers of every size from its longest line up; and, for each user of this
 * machine's /etc/passwd, the same ids and home as getpwnam. */
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "passwd.h"
#include "tap.h"

struct passwd_case {
	const char *name;
	const char *text;
	size_t len;             /* 0: strlen(text) */
	bool at_end;
	const char *user;
	enum passwd_result want;
	unsigned long uid, gid;
	const char *home;
};

#define NOBODY "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"

static const struct passwd_case cases[] = {
	{ "the first line", NOBODY "root:x:0:0::/root:/bin/sh\n", 0, true,
	  "nobody", PASSWD_FOUND, 65534, 65534, "/nonexistent" },
	{ "a line after others", "root:x:0:0::/root:/bin/sh\n" NOBODY, 0, true,
	  "nobody", PASSWD_FOUND, 65534, 65534, "/nonexistent" },
	{ "the last line, no newline, the file's end",
	  "root:x:0:0::/root:/bin/sh\nweb:x:4321:4322:Web:/srv/web:/bin/sh", 0, true,
	  "web", PASSWD_FOUND, 4321, 4322, "/srv/web" },
	{ "a last line with no newline is not read before the file's end",
	  "root:x:0:0::/root:/bin/sh\nweb:x:4321:4322:Web:/srv/web:/bin/sh", 0, false,
	  "web", PASSWD_ABSENT, 0, 0, NULL },
	{ "a name that is another's prefix",
	  "nob:x:1:1::/a:/bin/sh\nnobody:x:2:2::/b:/bin/sh\n", 0, true,
	  "nobody", PASSWD_FOUND, 2, 2, "/b" },
	{ "a name that another's is a prefix of",
	  "nobody:x:2:2::/b:/bin/sh\nnob:x:1:1::/a:/bin/sh\n", 0, true,
	  "nob", PASSWD_FOUND, 1, 1, "/a" },
	{ "a name only a prefix of a user's", NOBODY, 0, true,
	  "nob", PASSWD_ABSENT, 0, 0, NULL },
	{ "the first of two lines of a name",
	  "web:x:10:11::/one:/bin/sh\nweb:x:20:21::/two:/bin/sh\n", 0, true,
	  "web", PASSWD_FOUND, 10, 11, "/one" },
	{ "lines of other names skipped, however malformed",
	  "\n#web:x:1:1::/c:/bin/sh\nbad\nx:::\nroot:x:0\0:0::/root:/bin/sh\n"
	  "web:x:7:8::/h:/bin/sh\n", 82, true, "web", PASSWD_FOUND, 7, 8, "/h" },
	{ "an empty home and shell", "web:x:7:8:::\n", 0, true,
	  "web", PASSWD_FOUND, 7, 8, "" },
	{ "a CRLF line: the CR is the shell's", "web:x:7:8::/h:/bin/sh\r\n", 0, true,
	  "web", PASSWD_FOUND, 7, 8, "/h" },
	{ "the largest id", "web:x:4294967294:4294967294::/h:/bin/sh\n", 0, true,
	  "web", PASSWD_FOUND, 4294967294UL, 4294967294UL, "/h" },
	{ "leading zeros", "web:x:0000000042:007::/h:/bin/sh\n", 0, true,
	  "web", PASSWD_FOUND, 42, 7, "/h" },
	{ "an absent name", "root:x:0:0::/root:/bin/sh\n" NOBODY, 0, true,
	  "web", PASSWD_ABSENT, 0, 0, NULL },
	{ "an empty text", "", 0, true, "web", PASSWD_ABSENT, 0, 0, NULL },

	/* The name's line, not plainly well formed: the C library decides
	 * (musl reads an empty id as 0 and wraps a long one). */
	{ "uid empty", "web:x::8::/h:/bin/sh\n", 0, true, "web", PASSWD_UNSURE, 0, 0, NULL },
	{ "gid empty", "web:x:7:::/h:/bin/sh\n", 0, true, "web", PASSWD_UNSURE, 0, 0, NULL },
	{ "uid with a letter", "web:x:12ab:8::/h:/bin/sh\n", 0, true, "web", PASSWD_UNSURE, 0, 0, NULL },
	{ "uid signed", "web:x:-1:8::/h:/bin/sh\n", 0, true, "web", PASSWD_UNSURE, 0, 0, NULL },
	{ "uid with a space", "web:x: 7:8::/h:/bin/sh\n", 0, true, "web", PASSWD_UNSURE, 0, 0, NULL },
	{ "uid (uid_t)-1", "web:x:4294967295:8::/h:/bin/sh\n", 0, true, "web", PASSWD_UNSURE, 0, 0, NULL },
	{ "gid (gid_t)-1", "web:x:7:4294967295::/h:/bin/sh\n", 0, true, "web", PASSWD_UNSURE, 0, 0, NULL },
	{ "uid of 11 digits", "web:x:00000000007:8::/h:/bin/sh\n", 0, true, "web", PASSWD_UNSURE, 0, 0, NULL },
	{ "uid past 32 bits", "web:x:9999999999:8::/h:/bin/sh\n", 0, true, "web", PASSWD_UNSURE, 0, 0, NULL },
	{ "six fields", "web:x:7:8::/h\n", 0, true, "web", PASSWD_UNSURE, 0, 0, NULL },
	{ "eight fields", "web:x:7:8::/h:/bin/sh:more\n", 0, true, "web", PASSWD_UNSURE, 0, 0, NULL },
	{ "the name alone", "web:\n", 0, true, "web", PASSWD_UNSURE, 0, 0, NULL },
	{ "a NUL in the line", "web:x:7:8::/h\0ome:/bin/sh\n", 26, true, "web", PASSWD_UNSURE, 0, 0, NULL },
	{ "a malformed line before a good one of the name",
	  "web:x:12ab:8::/h:/bin/sh\nweb:x:7:8::/h:/bin/sh\n", 0, true, "web", PASSWD_UNSURE, 0, 0, NULL },

	/* Names the file's format (or NIS's +/- lines) could read otherwise. */
	{ "an empty name", ":x:7:8::/h:/bin/sh\n", 0, true, "", PASSWD_UNSURE, 0, 0, NULL },
	{ "a +name", "+web:x:7:8::/h:/bin/sh\n", 0, true, "+web", PASSWD_UNSURE, 0, 0, NULL },
	{ "a -name", "-web:x:7:8::/h:/bin/sh\n", 0, true, "-web", PASSWD_UNSURE, 0, 0, NULL },
	{ "a name with ':'", "a:b:x:7:8::/h:/bin/sh\n", 0, true, "a:b", PASSWD_UNSURE, 0, 0, NULL },
	{ "a name with a newline", "a\nb:x:7:8::/h:/bin/sh\n", 0, true, "a\nb", PASSWD_UNSURE, 0, 0, NULL },
};

static void check_cases(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct passwd_case *c = &cases[i];
		size_t len = c->len ? c->len : strlen(c->text), used = 12345;
		struct passwd_entry e = { 0 };
		enum passwd_result got = passwd_search(c->text, len, c->at_end,
						       c->user, &e, &used);
		bool ok = got == c->want && used <= len;
		if (ok && got == PASSWD_FOUND)
			ok = e.uid == c->uid && e.gid == c->gid &&
				e.home_len == strlen(c->home) &&
				memcmp(e.home, c->home, e.home_len) == 0;
		if (ok && got == PASSWD_ABSENT && c->at_end)
			ok = used == len;
		tap_ok(ok, "passwd: %s -> %s", c->name,
		       c->want == PASSWD_FOUND ? "found" :
		       c->want == PASSWD_ABSENT ? "absent" : "the C library's to read");
	}
}

/* The reader hands over what it has read so far: for every length of a
 * 200-line text, the name is found exactly when its whole line is there,
 * and what is reported used ends on a line. */
static void check_every_cut(void)
{
	static char text[200 * 64];
	size_t len = 0;
	for (int i = 0; i < 200; i++)
		len += (size_t)snprintf(text + len, sizeof text - len,
					"user%d:x:%d:%d:User %d:/home/user%d:/bin/sh\n",
					i, 1000 + i, 2000 + i, i, i);
	unsigned long cuts = 0, wrong = 0;
	for (int target = 0; target < 200; target += 37) {
		char name[16], line[64];
		snprintf(name, sizeof name, "user%d", target);
		snprintf(line, sizeof line, "\n%s:", name);
		const char *start = target ? strstr(text, line) + 1 : text;
		size_t line_end = (size_t)(strchr(start, '\n') - text);
		for (size_t cut = 0; cut <= len; cut++, cuts++) {
			struct passwd_entry e;
			size_t used;
			enum passwd_result got = passwd_search(text, cut, false, name,
							       &e, &used);
			bool whole = cut > line_end;
			if (whole ? got != PASSWD_FOUND || e.uid != (uid_t)(1000 + target) ||
			    e.gid != (gid_t)(2000 + target) :
			    got != PASSWD_ABSENT || used > cut ||
			    (used > 0 && text[used - 1] != '\n') ||
			    cut - used >= 64)   /* more than the partial line */
				wrong++;
		}
	}
	tap_ok(wrong == 0 && cuts > 10000, "passwd: a text cut at every length "
	       "(%lu cuts, %lu wrong)", cuts, wrong);
}

/* A read that cut a line and lost its start would find "web:" in one of
 * these names; with buffers of 40 to 160 bytes, reads cut every line at
 * every place. */
static void check_reads(void)
{
	char path[] = "/tmp/test-passwd-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		tap_ok(0, "passwd: a temporary file (%s)", path);
		return;
	}
	unlink(path);
	char line[64];
	for (int i = 0; i < 500; i++) {
		int n = snprintf(line, sizeof line, "%.*sweb:x:9999:9999::/wrong:/bin/sh\n",
				 1 + i % 7, "xxxxxxx");
		if (write(fd, line, (size_t)n) != n)
			break;
	}
	static const char real[] = "web:x:4321:4322:Web:/srv/web:/bin/sh";
	if (write(fd, real, sizeof real - 1) != (ssize_t)sizeof real - 1)
		tap_ok(0, "passwd: writing the temporary file");
	unsigned long wrong = 0, sizes = 0;
	for (size_t cap = 40; cap <= 160; cap++, sizes++) {
		char buf[160];
		struct passwd_entry e;
		lseek(fd, 0, SEEK_SET);
		if (passwd_read(fd, "web", buf, cap, &e) != PASSWD_FOUND || e.uid != 4321 ||
		    e.gid != 4322 || e.home_len != 8 || memcmp(e.home, "/srv/web", 8) != 0)
			wrong++;
	}
	tap_ok(wrong == 0, "passwd_read: the last line found past 500 decoys, through "
	       "buffers of %lu sizes (%lu wrong)", sizes, wrong);
	char buf[160];
	struct passwd_entry e;
	lseek(fd, 0, SEEK_SET);
	tap_ok(passwd_read(fd, "web", buf, 30, &e) == PASSWD_UNSURE,
	       "passwd_read: a line longer than the buffer -> the C library's to read");
	lseek(fd, 0, SEEK_SET);
	tap_ok(passwd_read(fd, "nobody", buf, sizeof buf, &e) == PASSWD_ABSENT,
	       "passwd_read: a name not in the file -> absent");
	close(fd);
	int dir = open("/", O_RDONLY | O_DIRECTORY);
	tap_ok(passwd_read(dir, "web", buf, sizeof buf, &e) == PASSWD_UNSURE,
	       "passwd_read: a read that fails (a directory) -> the C library's to read");
	close(dir);
}

/* This machine's users, where getpwnam reads the same file first (every
 * nsswitch.conf Debian ships): the same ids and home. */
static void check_against_getpwnam(void)
{
	static char text[1 << 20];
	FILE *f = fopen("/etc/passwd", "r");
	size_t len = f ? fread(text, 1, sizeof text, f) : 0;
	if (f)
		fclose(f);
	unsigned long users = 0, wrong = 0;
	for (const char *line = text; line < text + len;) {
		const char *end = memchr(line, '\n', (size_t)(text + len - line));
		const char *colon = memchr(line, ':', (size_t)((end ? end : text + len) - line));
		if (colon && colon > line && colon - line < 64) {
			char name[64];
			memcpy(name, line, (size_t)(colon - line));
			name[colon - line] = '\0';
			struct passwd_entry e;
			size_t used;
			struct passwd *pw = getpwnam(name);
			if (passwd_search(text, len, true, name, &e, &used) == PASSWD_FOUND) {
				users++;
				if (pw == NULL || pw->pw_uid != e.uid || pw->pw_gid != e.gid ||
				    strlen(pw->pw_dir) != e.home_len ||
				    memcmp(pw->pw_dir, e.home, e.home_len) != 0)
					wrong++;
			}
		}
		line = end ? end + 1 : text + len;
	}
	tap_ok(users > 0 && wrong == 0, "passwd: this machine's /etc/passwd, every user "
	       "as getpwnam has it (%lu users, %lu differ)", users, wrong);
}

int main(void)
{
	check_cases();
	check_every_cut();
	check_reads();
	check_against_getpwnam();
	return tap_done();
}
