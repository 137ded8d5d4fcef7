#include "listing.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ascii.h"
#include "bounds.h"
#include "httpdate.h"
#include "status.h"

struct entry {
	char *name;
	bool is_dir;   /* followed through a symlink, as os.path.isdir */
	bool is_link;
	bool known;    /* size and mtime read (a broken link has none) */
	off_t size;
	time_t mtime;
};

/* A growable text buffer: the page is built whole so that its length can
 * go in Content-Length. */
struct text {
	char *data;
	size_t len, cap;
	bool oom;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->oom)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *p = realloc(t->data, cap);
		if (p == NULL) {
			t->oom = true;
			return;
		}
		t->data = p;
		t->cap = cap;
	}
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
}

static void text_str(struct text *t, const char *s)
{
	text_add(t, s, strlen(s));
}

static void text_escaped(struct text *t, const char *s)
{
	while (*s) {
		/* The bytes that need no entity, added as one run. */
		size_t plain = 0;
		while (s[plain] && !response_html_entity(s[plain]))
			plain++;
		text_add(t, s, plain);
		s += plain;
		if (*s)
			text_str(t, response_html_entity(*s++));
	}
}

/* urllib.parse.quote(s), safe='/' */
static void text_quoted(struct text *t, const char *s)
{
	char buf[3 * 256 + 1];
	if (url_encode_path(buf, sizeof buf, s) != (size_t)-1)
		text_str(t, buf);
}

/* Python sorts by name.lower(); equal keys keep a stable, byte order. */
static int compare_entries(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = ascii_casecmp(x->name, y->name);
	return c ? c : strcmp(x->name, y->name);
}

/* details: what the detailed page shows, read through a link as a
 * browser would reach it. */
static void classify(int dir_fd, const struct dirent *d, bool details,
		     struct entry *e)
{
	struct stat st;
	e->is_link = d->d_type == DT_LNK;
	e->is_dir = d->d_type == DT_DIR;
	e->known = false;
	if (d->d_type == DT_UNKNOWN &&
	    fstatat(dir_fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		e->is_link = S_ISLNK(st.st_mode);
		e->is_dir = S_ISDIR(st.st_mode);
	}
	if (!e->is_link && !details)
		return;
	bool reached = fstatat(dir_fd, d->d_name, &st, 0) == 0;
	if (e->is_link)
		e->is_dir = reached && S_ISDIR(st.st_mode);
	if (reached && details) {
		e->known = true;
		e->size = st.st_size;
		e->mtime = st.st_mtime;
	}
}

/* "512 B", "1.5 KiB", ... "8.0 EiB": what a reader takes in at a glance. */
static void format_size(off_t n, char *buf, size_t cap)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	if (cap > 0)
		buf[0] = '\0';
	if (n < 1024) {   /* the usual file, without printf */
		char digits[8];
		size_t i = sizeof digits;
		unsigned u = (unsigned)n;
		do {
			digits[--i] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		size_t len = sizeof digits - i;
		if (cap < len + 3)
			return;
		memcpy(buf, digits + i, len);
		memcpy(buf + len, " B", 3);
		return;
	}
	double v = (double)n;
	unsigned u = 0;
	for (v /= 1024; v >= 1024 && u + 1 < sizeof units / sizeof units[0]; v /= 1024)
		u++;
	snprintf(buf, cap, "%.1f %s", v, units[u]);
}

/* The size (files only) and the modification time, in UTC, after the
 * link: an addition to Python's page that its structure does not need. */
static void text_details(struct text *page, const struct entry *e)
{
	char size[32], iso[32], shown[32];
	struct tm tm;
	if (!e->known)
		return;
	/* strftime costs thousands of instructions an entry (musl): the
	 * hand formatter, and the shown form cut from it; gmtime_r and
	 * strftime only for a year the formatter does not write. */
	if (httpdate_format_iso(e->mtime, iso)) {
		memcpy(shown, iso, 16);
		shown[10] = ' ';
		shown[16] = '\0';
	} else if (gmtime_r(&e->mtime, &tm) != NULL) {
		strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
		strftime(shown, sizeof shown, "%Y-%m-%d %H:%M", &tm);
	} else {
		return;
	}
	if (!e->is_dir) {
		format_size(e->size, size, sizeof size);
		text_str(page, " <span class=\"size\">");
		text_str(page, size);
		text_str(page, "</span>");
	}
	text_str(page, " <time datetime=\"");
	text_str(page, iso);
	text_str(page, "\">");
	text_str(page, shown);
	text_str(page, "</time>");
}

static void free_entries(struct entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* Reads the entries Python's os.listdir would give, less the hidden ones
 * (they would only answer 404). Returns NULL with *why on failure. */
static struct entry *read_entries(const struct target *t, bool show_hidden,
				  bool details, size_t *count, const char **why)
{
	int fd = dup(t->fd);
	DIR *dir = fd < 0 ? NULL : fdopendir(fd);
	if (dir == NULL) {
		if (fd >= 0)
			close(fd);
		*why = "No permission to list directory";
		return NULL;
	}
	struct entry *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	while ((d = readdir(dir)) != NULL) {
		const char *name = d->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (name[0] == '.' && !show_hidden)
			continue;
		if (n == LISTING_ENTRIES_MAX) {
			*why = "directory too large to list";
			goto fail;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			struct entry *grown = realloc(v, cap * sizeof *v);
			if (grown == NULL)
				goto oom;
			v = grown;
		}
		v[n].name = strdup(name); /* freed by free_entries */
		if (v[n].name == NULL)
			goto oom;
		classify(dirfd(dir), d, details, &v[n]);
		n++;
	}
	closedir(dir);
	if (n > 1)
		qsort(v, n, sizeof *v, compare_entries);
	*count = n;
	/* An empty directory still gets an array: NULL means failure. */
	return v ? v : calloc(1, sizeof *v);
oom:
	*why = "out of memory";
fail:
	closedir(dir);
	free_entries(v, n);
	return NULL;
}

int listing_send(const struct config *cfg, const struct target *t,
		 struct response *out, const char **why)
{
	size_t n = 0;
	bool details = !cfg->listing_simple;
	struct entry *v = read_entries(t, cfg->show_hidden, details, &n, why);
	if (v == NULL)
		return STATUS_INTERNAL_ERROR;

	char joined[URL_PATH_MAX + 2];
	url_join(&t->path, 0, t->path.n, joined, sizeof joined);
	struct text page = { 0 };
	text_str(&page, "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n"
		 "<meta charset=\"utf-8\">\n<title>Directory listing for ");
	text_escaped(&page, joined);
	text_str(&page, "/</title>\n</head>\n<body>\n<h1>Directory listing for ");
	text_escaped(&page, joined);
	text_str(&page, "/</h1>\n<hr>\n<ul>\n");
	for (size_t i = 0; i < n; i++) {
		text_str(&page, "<li><a href=\"");
		text_quoted(&page, v[i].name);
		if (v[i].is_dir)
			text_str(&page, "/");
		text_str(&page, "\">");
		text_escaped(&page, v[i].name);
		if (v[i].is_link)
			text_str(&page, "@");
		else if (v[i].is_dir)
			text_str(&page, "/");
		text_str(&page, "</a>");
		if (details)
			text_details(&page, &v[i]);
		text_str(&page, "</li>\n");
	}
	text_str(&page, "</ul>\n<hr>\n</body>\n</html>\n");
	free_entries(v, n);
	if (page.oom) {
		free(page.data);
		*why = "out of memory";
		return STATUS_INTERNAL_ERROR;
	}
	response_status(out, STATUS_OK, NULL);
	response_header(out, "Content-Type", "text/html; charset=utf-8");
	response_header_number(out, "Content-Length", (long long)page.len);
	/* A listing changes whenever a file comes or goes: cached only when
	 * the operator says for how long. */
	if (cfg->listing_max_age >= 0)
		response_header(out, "Cache-Control", "max-age=%ld", cfg->listing_max_age);
	response_end_head(out);
	response_body(out, page.data, page.len);
	free(page.data);
	return 0;
}
