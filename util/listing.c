#include "listing.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
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
	/* The first 8 bytes of the folded name, the first one highest, 0
	 * past its end: compared as a number, it orders as ascii_casecmp
	 * does, and in a directory most comparisons end there. */
	uint64_t key;
	size_t name;   /* offset of the name in the names' buffer */
	size_t len;
	bool plain;    /* every byte url_path_safe: quoted and escaped as it is */
	bool is_dir;   /* followed through a symlink, as os.path.isdir */
	bool is_link;
	bool known;    /* size and mtime read (a broken link has none) */
	off_t size;
	time_t mtime;
};

struct entries {
	struct entry *v;
	size_t n, cap;
	const struct entry **sorted;   /* v in the page's order */
	char *names;   /* every name, each with its NUL */
	size_t names_len, names_cap;
};

/* The key of a name followed by zeros to its eighth byte at least: the
 * bytes as one big-endian word, with A-Z folded all at once. */
static uint64_t folded_key(const char *name)
{
	const uint64_t lows = 0x7f7f7f7f7f7f7f7fu, highs = 0x8080808080808080u;
	uint64_t w;
	memcpy(&w, name, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	/* A byte's high bit in at_least_a: its low 7 bits are 'A' or more;
	 * in beyond_z: more than 'Z'. No sum carries into the next byte. */
	uint64_t at_least_a = (w & lows) + 0x3f3f3f3f3f3f3f3fu;
	uint64_t beyond_z = (w & lows) + 0x2525252525252525u;
	uint64_t upper = at_least_a & ~beyond_z & ~w & highs;
	return w | upper >> 2;   /* 0x80 >> 2 is the case bit */
}

/* Python sorts by name.lower(); equal keys keep a stable, byte order. */
static int entry_order(const struct entry *x, const struct entry *y,
		       const char *names)
{
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	int c = ascii_casecmp(names + x->name, names + y->name);
	return c ? c : strcmp(names + x->name, names + y->name);
}

/* A merge sort of v[0, n) with scratch of n / 2: qsort's comparisons
 * through a function pointer were half of a 200-entry listing's
 * instructions. Pointers move, not entries. */
static void sort_entries(const struct entry **v, const struct entry **scratch,
			 size_t n, const char *names)
{
	if (n < 2)
		return;
	size_t half = n / 2;
	sort_entries(v, scratch, half, names);
	sort_entries(v + half, scratch, n - half, names);
	if (entry_order(v[half - 1], v[half], names) <= 0)
		return;   /* already in order, as a directory read twice often is */
	memcpy(scratch, v, half * sizeof *v);
	size_t i = 0, j = half, k = 0;
	while (i < half && j < n)
		v[k++] = entry_order(v[j], scratch[i], names) < 0 ? v[j++] : scratch[i++];
	memcpy(v + k, scratch + i, (half - i) * sizeof *v);
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

/* data with room for need items of size, or NULL (data still whole). */
static void *grown(void *data, size_t *cap, size_t need, size_t size)
{
	if (data != NULL && need <= *cap)
		return data;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *p = realloc(data, n * size);
	if (p != NULL)
		*cap = n;
	return p;
}

static bool all_path_safe(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!url_path_safe((unsigned char)s[i]))
			return false;
	return true;
}

static bool add_entry(struct entries *all, int dir_fd, const struct dirent *d,
		      bool details)
{
	size_t len = strlen(d->d_name);
	struct entry *v = grown(all->v, &all->cap, all->n + 1, sizeof *v);
	if (v == NULL)
		return false;
	all->v = v;
	char *names = grown(all->names, &all->names_cap, all->names_len + len + 8, 1);
	if (names == NULL)
		return false;
	all->names = names;
	struct entry *e = &v[all->n++];
	char *copy = names + all->names_len;
	/* The zeros after it, for the key; the next name goes over them. */
	memset(copy + len, 0, 8);
	memcpy(copy, d->d_name, len);
	e->name = all->names_len;
	e->len = len;
	e->key = folded_key(copy);
	e->plain = all_path_safe(copy, len);
	all->names_len += len + 1;
	classify(dir_fd, d, details, e);
	return true;
}

static void free_entries(struct entries *all)
{
	free(all->v);
	free(all->sorted);
	free(all->names);
}

/* Reads the entries Python's os.listdir would give, less the hidden ones
 * (they would only answer 404), sorted. Returns false with *why. */
static bool read_entries(const struct target *t, bool show_hidden,
			 bool details, struct entries *all, const char **why)
{
	int fd = dup(t->fd);
	DIR *dir = fd < 0 ? NULL : fdopendir(fd);
	if (dir == NULL) {
		if (fd >= 0)
			close(fd);
		*why = "No permission to list directory";
		return false;
	}
	struct dirent *d;
	while ((d = readdir(dir)) != NULL) {
		const char *name = d->d_name;
		if (name[0] == '.' && (!show_hidden || name[1] == '\0' ||
				       (name[1] == '.' && name[2] == '\0')))
			continue;
		if (all->n == LISTING_ENTRIES_MAX) {
			*why = "directory too large to list";
			goto fail;
		}
		if (!add_entry(all, dirfd(dir), d, details)) {
			*why = "out of memory";
			goto fail;
		}
	}
	closedir(dir);
	/* The pointers, and the merge's scratch after them. */
	all->sorted = malloc((all->n + all->n / 2 + 1) * sizeof *all->sorted);
	if (all->sorted == NULL) {
		*why = "out of memory";
		return false;
	}
	for (size_t i = 0; i < all->n; i++)
		all->sorted[i] = &all->v[i];
	sort_entries(all->sorted, all->sorted + all->n, all->n, all->names);
	return true;
fail:
	closedir(dir);
	return false;
}

/* The page is written with a cursor into a buffer sized for the worst
 * case up front: its length goes in Content-Length, and one allocation
 * replaces a capacity check for each of the thousands of pieces. */
static char *put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define PUT_LITERAL(p, s) put((p), (s), sizeof(s) - 1)

static char *put_escaped(char *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *entity = response_html_entity(s[i]);
		if (entity == NULL)
			*p++ = s[i];
		else
			p = put(p, entity, strlen(entity));
	}
	return p;
}

/* Bytes an escaped or quoted name of n bytes may take: "&amp;" is 5 for 1,
 * "%26" 3 for 1. */
#define ESCAPED_MAX(n) (5 * (n))
#define QUOTED_MAX(n) (3 * (n) + 1)

/* A date as strftime writes a time_t's year in full ("%Y-%m-%dT%H:%M:%SZ"
 * of year 2^31 and more is 31 bytes), with its NUL. */
#define DATE_MAX 32

/* "<li><a href=...>name</a> <span ...>size</span> <time ...>...</time></li>",
 * less the name's two forms: 78 bytes of markup, a slash after a
 * directory's link and a slash or an at sign after its name, a size and
 * two dates. */
#define ENTRY_FIXED_MAX (78 + 2 + 32 + 2 * DATE_MAX)

/* "512 B", "1.5 KiB", ... "8.0 EiB": what a reader takes in at a glance. */
static char *put_size(char *p, off_t n)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	if (n < 1024) {   /* the usual file, without printf */
		char digits[8];
		size_t i = sizeof digits;
		unsigned u = n < 0 ? 0 : (unsigned)n;
		do {
			digits[--i] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		p = put(p, digits + i, sizeof digits - i);
		return PUT_LITERAL(p, " B");
	}
	double v = (double)n;
	unsigned u = 0;
	for (v /= 1024; v >= 1024 && u + 1 < sizeof units / sizeof units[0]; v /= 1024)
		u++;
	char buf[32];
	int len = snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
	return put(p, buf, len > 0 && (size_t)len < sizeof buf ? (size_t)len : 0);
}

/* The size (files only) and the modification time, in UTC, after the
 * link: an addition to Python's page that its structure does not need.
 * Written in place; an entry whose time cannot be written gets neither. */
static char *put_details(char *p, const struct entry *e, struct httpdate_day *last)
{
	char *start = p;
	struct tm tm;
	if (!e->known)
		return p;
	if (!e->is_dir) {
		p = PUT_LITERAL(p, " <span class=\"size\">");
		p = put_size(p, e->size);
		p = PUT_LITERAL(p, "</span>");
	}
	p = PUT_LITERAL(p, " <time datetime=\"");
	/* strftime costs thousands of instructions an entry (musl): the
	 * hand formatter, and the shown form cut from it; gmtime_r and
	 * strftime only for a year the formatter does not write. */
	char *iso = p;
	if (httpdate_format_iso(last, e->mtime, iso)) {
		p = PUT_LITERAL(iso + HTTPDATE_ISO_LEN - 1, "\">");
		memcpy(p, iso, 16);   /* "YYYY-MM-DDTHH:MM" */
		p[10] = ' ';
		p += 16;
	} else if (gmtime_r(&e->mtime, &tm) != NULL) {
		p += strftime(p, DATE_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm);
		p = PUT_LITERAL(p, "\">");
		p += strftime(p, DATE_MAX, "%Y-%m-%d %H:%M", &tm);
	} else {
		return start;
	}
	return PUT_LITERAL(p, "</time>");
}

static char *put_entry(char *p, const struct entry *e, const char *name,
		       bool details, struct httpdate_day *last)
{
	/* A name of letters, digits and ._-~ reads the same quoted and
	 * escaped: copied twice, without looking at a byte again. */
	p = PUT_LITERAL(p, "<li><a href=\"");
	if (e->plain)
		p = put(p, name, e->len);
	else
		p += url_encode_path(p, QUOTED_MAX(e->len), name);
	if (e->is_dir)
		*p++ = '/';
	p = PUT_LITERAL(p, "\">");
	p = e->plain ? put(p, name, e->len) : put_escaped(p, name, e->len);
	if (e->is_link)
		*p++ = '@';
	else if (e->is_dir)
		*p++ = '/';
	p = PUT_LITERAL(p, "</a>");
	if (details)
		p = put_details(p, e, last);
	return PUT_LITERAL(p, "</li>\n");
}

int listing_send(const struct config *cfg, const struct target *t,
		 struct response *out, const char **why)
{
	static const char head_1[] = "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n"
		"<meta charset=\"utf-8\">\n<title>Directory listing for ";
	static const char head_2[] = "/</title>\n</head>\n<body>\n<h1>Directory listing for ";
	static const char head_3[] = "/</h1>\n<hr>\n<ul>\n";
	static const char tail[] = "</ul>\n<hr>\n</body>\n</html>\n";
	bool details = !cfg->listing_simple;
	struct entries all = { 0 };
	if (!read_entries(t, cfg->show_hidden, details, &all, why)) {
		free_entries(&all);
		return STATUS_INTERNAL_ERROR;
	}

	char joined[URL_PATH_MAX + 2];
	url_join(&t->path, 0, t->path.n, joined, sizeof joined);
	size_t joined_len = strlen(joined);
	/* No overflow: at most LISTING_ENTRIES_MAX names of at most 255 bytes. */
	size_t cap = sizeof head_1 + sizeof head_2 + sizeof head_3 + sizeof tail +
		2 * ESCAPED_MAX(joined_len);
	for (size_t i = 0; i < all.n; i++) {
		const struct entry *e = &all.v[i];
		cap += ENTRY_FIXED_MAX +
			(e->plain ? 2 * e->len : QUOTED_MAX(e->len) + ESCAPED_MAX(e->len));
	}
	char *page = malloc(cap);
	if (page == NULL) {
		free_entries(&all);
		*why = "out of memory";
		return STATUS_INTERNAL_ERROR;
	}
	char *p = PUT_LITERAL(page, head_1);
	p = put_escaped(p, joined, joined_len);
	p = PUT_LITERAL(p, head_2);
	p = put_escaped(p, joined, joined_len);
	p = PUT_LITERAL(p, head_3);
	struct httpdate_day last = { 0 };
	for (size_t i = 0; i < all.n; i++)
		p = put_entry(p, all.sorted[i], all.names + all.sorted[i]->name, details, &last);
	p = PUT_LITERAL(p, tail);
	size_t len = (size_t)(p - page);
	free_entries(&all);

	response_status(out, STATUS_OK, NULL);
	response_header(out, "Content-Type", "text/html; charset=utf-8");
	response_header_number(out, "Content-Length", (long long)len);
	/* A listing changes whenever a file comes or goes: cached only when
	 * the operator says for how long. */
	if (cfg->listing_max_age >= 0)
		response_header(out, "Cache-Control", "max-age=%ld", cfg->listing_max_age);
	response_end_head(out);
	response_body(out, page, len);
	free(page);
	return 0;
}
