#include "file.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "conditional.h"
#include "confine.h"
#include "encoding.h"
#include "httpdate.h"
#include "listing.h"
#include "mime.h"
#include "range.h"
#include "status.h"

/* The representation chosen to send: the file itself or one of its
 * precompressed variants. */
struct variant {
	int fd;
	struct stat st;
	int coding;            /* CODING_IDENTITY or an enum coding */
	bool vary;             /* a variant was found: caches must key on
				* Accept-Encoding */
};

/* Whether the variant at fd may stand for the file: a regular file, not
 * older than it, and in the very directory the file is in (no symlink
 * leads it elsewhere: it was opened O_NOFOLLOW, and the real paths agree
 * where /proc can tell them). */
static bool variant_fits(const struct config *cfg, const struct target *t,
			 int fd, const char *suffix, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return false;
	if (st->st_mtim.tv_sec < t->st.st_mtim.tv_sec ||
	    (st->st_mtim.tv_sec == t->st.st_mtim.tv_sec &&
	     st->st_mtim.tv_nsec < t->st.st_mtim.tv_nsec))
		return false; /* stale: FILE was changed after it was made */
	char real[REAL_PATH_MAX], variant_real[REAL_PATH_MAX];
	bool known = confine_relative_path(&cfg->root_dir, t->fd, real,
					   sizeof real - 8) == 0;
	bool variant_known = confine_relative_path(&cfg->root_dir, fd, variant_real,
						   sizeof variant_real) == 0;
	if (!known && !variant_known)
		return true; /* no /proc: route() checked without it too */
	return known && variant_known &&
	       strcmp(strcat(real, suffix), variant_real) == 0;
}

/* The path below the root of the file t serves: t->path.fs, or for a
 * directory the index page route() opened, told by its inode (the target
 * keeps the directory's path only). Returns false when it cannot be told. */
static bool served_path(const struct config *cfg, const struct target *t,
			char *buf, size_t cap)
{
	if (!t->path.slash_sent)
		return snprintf(buf, cap, "%s", t->path.fs) < (int)cap;
	static const char *const names[] = { "index.html", "index.htm" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		int fd;
		struct stat st;
		const char *ignored;
		if (snprintf(buf, cap, "%s/%s", t->path.fs, names[i]) >= (int)cap ||
		    confine_open(&cfg->root_dir, buf, O_PATH, &fd, &ignored) != 0)
			continue;
		bool same = fstat(fd, &st) == 0 && st.st_ino == t->st.st_ino &&
			    st.st_dev == t->st.st_dev;
		close(fd);
		if (same)
			return true;
	}
	return false;
}

/* With --precompressed, FILE.br, FILE.zst or FILE.gz when the client
 * accepts that coding (encoding.h decides which); else the file. */
static void choose_variant(const struct config *cfg, const struct request *rq,
			   const struct target *t, struct variant *v)
{
	*v = (struct variant){ .fd = t->fd, .st = t->st,
			       .coding = CODING_IDENTITY };
	const char *accept = request_header(rq, "Accept-Encoding");
	char base[URL_PATH_MAX + 16];
	if (!cfg->precompressed || accept == NULL ||
	    !served_path(cfg, t, base, sizeof base))
		return;
	struct accept_encoding ae;
	encoding_parse(accept, &ae);
	int fds[CODING_COUNT];
	struct stat sts[CODING_COUNT];
	unsigned available = 0;
	for (int i = 0; i < CODING_COUNT; i++) {
		char path[URL_PATH_MAX + 24];
		const char *ignored;
		fds[i] = -1;
		int path_fd;
		/* O_PATH first: a FIFO named like a variant is never opened
		 * for reading (which would release its writer). */
		if (ae.q[i] == 0 ||
		    snprintf(path, sizeof path, "%s%s", base,
			     coding_names[i].suffix) >= (int)sizeof path ||
		    confine_open(&cfg->root_dir, path, O_PATH | O_NOFOLLOW,
				 &path_fd, &ignored) != 0)
			continue;
		bool regular = fstat(path_fd, &sts[i]) == 0 && S_ISREG(sts[i].st_mode);
		int opened = regular ? confine_reopen(&cfg->root_dir, path, path_fd,
						      &sts[i], O_RDONLY | O_NONBLOCK,
						      &fds[i], &ignored) : -1;
		close(path_fd);
		if (opened != 0) {
			fds[i] = -1;
			continue;
		}
		if (variant_fits(cfg, t, fds[i], coding_names[i].suffix, &sts[i])) {
			available |= 1u << i;
		} else {
			close(fds[i]);
			fds[i] = -1;
		}
	}
	v->vary = available != 0;
	v->coding = encoding_choose(&ae, available);
	for (int i = 0; i < CODING_COUNT; i++) {
		if (i == v->coding) {
			v->fd = fds[i];
			v->st = sts[i];
		} else if (fds[i] >= 0) {
			close(fds[i]);
		}
	}
}

/* What every answer about the file carries, the 304 included. */
static void validator_headers(const struct config *cfg, struct response *out,
			      const struct variant *v, const char *etag)
{
	char modified[HTTPDATE_LEN];
	httpdate_format(v->st.st_mtime, modified);
	response_header(out, "Last-Modified", "%s", modified);
	response_header(out, "ETag", "%s", etag);
	if (v->vary)
		response_header(out, "Vary", "Accept-Encoding");
	if (cfg->max_age >= 0)
		response_header(out, "Cache-Control", "max-age=%ld", cfg->max_age);
}

/* A boundary no file can be made to contain on purpose: 128 random bits
 * as hex. Without getrandom, something that differs per response. */
static void make_boundary(const struct stat *st, char b[RANGE_BOUNDARY_LEN + 1])
{
	unsigned char raw[RANGE_BOUNDARY_LEN / 2];
	if (getrandom(raw, sizeof raw, GRND_NONBLOCK) != (ssize_t)sizeof raw) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		unsigned long long x = (unsigned long long)now.tv_nsec ^
			((unsigned long long)getpid() << 32) ^
			(unsigned long long)st->st_ino;
		for (size_t i = 0; i < sizeof raw; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			raw[i] = (unsigned char)(x >> 56);
		}
	}
	for (size_t i = 0; i < sizeof raw; i++) {
		b[2 * i] = "0123456789abcdef"[raw[i] >> 4];
		b[2 * i + 1] = "0123456789abcdef"[raw[i] & 15];
	}
	b[RANGE_BOUNDARY_LEN] = '\0';
}

static void send_multipart(const struct range_set *set, const char *type,
			   const struct variant *v, const char *boundary,
			   struct response *out)
{
	char part[1024]; /* a type is at most 255 bytes (content_type) */
	for (unsigned i = 0; i < set->n && !out->failed; i++) {
		size_t n = range_part_head(part, sizeof part, boundary, type,
					   &set->r[i], v->st.st_size, i);
		response_body(out, part, n < sizeof part ? n : 0);
		response_sendfile(out, v->fd, set->r[i].first,
				  set->r[i].last - set->r[i].first + 1);
	}
	size_t n = range_part_tail(part, sizeof part, boundary);
	response_body(out, part, n < sizeof part ? n : 0);
}

/* The Content-Type of the file: Python's guess, with --charset added to
 * a text type that names none. Returns type, or buf holding it. */
static const char *content_type(const struct config *cfg, const struct target *t,
				char *buf, size_t cap)
{
	/* The name that decides the type is the one served: index.html for
	 * a directory, else the last component. */
	const char *name = t->path.n ? t->path.component[t->path.n - 1] : "";
	if (t->path.slash_sent)
		name = "index.html";
	const char *type = guess_type(name);
	if (!cfg->charset || strncmp(type, "text/", 5) != 0 || strchr(type, ';'))
		return type;
	snprintf(buf, cap, "%s; charset=%s", type, cfg->charset);
	return buf;
}

/* What the Range header makes of the answer, decided before a byte is
 * written: 200, 206 (one range or multipart) or 416, and the length. */
struct partial {
	enum range_result ranges;
	struct range_set set;
	off_t length;            /* of the body */
	char boundary[RANGE_BOUNDARY_LEN + 1];
};

static void decide_ranges(const struct request *rq, const struct preconditions *pc,
			  const struct variant *v, const char *etag,
			  const char *type, struct partial *p)
{
	off_t size = v->st.st_size;
	p->ranges = range_parse(request_header(rq, "Range"), size, &p->set);
	/* RFC 9110 13.1.5: a Range for another version is ignored. */
	if (p->ranges != RANGE_NONE && !conditional_if_range(pc, etag, v->st.st_mtime))
		p->ranges = RANGE_NONE;
	p->length = size;
	if (p->ranges != RANGE_PARTIAL)
		return;
	if (p->set.n == 1) {
		p->length = p->set.r[0].last - p->set.r[0].first + 1;
		return;
	}
	make_boundary(&v->st, p->boundary);
	p->length = range_multipart_length(&p->set, p->boundary, type, size);
	/* Never amplify: parts whose framing outweighs the file are worth
	 * less to anyone honest than the file itself. */
	if (p->length > size) {
		p->ranges = RANGE_NONE;
		p->length = size;
	}
}

static void send_representation(const struct config *cfg, const struct variant *v,
				const char *etag, const char *type,
				const struct partial *p, struct response *out)
{
	off_t size = v->st.st_size;
	char content_range[RANGE_CONTENT_RANGE_MAX];
	if (p->ranges == RANGE_UNSATISFIABLE) {
		range_content_range(content_range, NULL, size);
		response_error_with(out, STATUS_RANGE_NOT_SATISFIABLE, NULL,
				    "Content-Range", content_range);
		return;
	}
	bool partial = p->ranges == RANGE_PARTIAL;
	bool multipart = partial && p->set.n > 1;
	response_status(out, partial ? STATUS_PARTIAL_CONTENT : STATUS_OK, NULL);
	if (multipart)
		response_header(out, "Content-Type", "multipart/byteranges; boundary=%s",
				p->boundary);
	else
		response_header(out, "Content-Type", "%s", type);
	if (partial && !multipart) {
		range_content_range(content_range, &p->set.r[0], size);
		response_header(out, "Content-Range", "%s", content_range);
	}
	if (v->coding != CODING_IDENTITY)
		response_header(out, "Content-Encoding", "%s", coding_names[v->coding].name);
	response_header_number(out, "Content-Length", (long long)p->length);
	response_header(out, "Accept-Ranges", "bytes");
	validator_headers(cfg, out, v, etag);
	if (multipart) {
		response_end_head(out);
		send_multipart(&p->set, type, v, p->boundary, out);
	} else {
		response_end_head_file(out, v->fd,
				       partial ? p->set.r[0].first : 0, p->length);
	}
}

/* Python's send_head for a file, and what Python leaves out: validators
 * and the RFC 9110 13.2.2 preconditions, ranges, precompressed variants. */
static int send_file(const struct config *cfg, const struct request *rq,
		     const struct target *t, struct response *out,
		     const char **why)
{
	struct variant v;
	choose_variant(cfg, rq, t, &v);
	char etag[ETAG_MAX], type_buf[256];
	conditional_etag(&v.st, etag);
	const char *type = content_type(cfg, t, type_buf, sizeof type_buf);
	const struct preconditions pc = {
		.if_match = request_header(rq, "If-Match"),
		.if_none_match = request_header(rq, "If-None-Match"),
		.if_modified_since = request_header(rq, "If-Modified-Since"),
		.if_unmodified_since = request_header(rq, "If-Unmodified-Since"),
		.if_range = request_header(rq, "If-Range"),
	};
	int status = conditional_evaluate(&pc, etag, v.st.st_mtime);
	if (status == STATUS_PRECONDITION_FAILED) {
		*why = "precondition failed";
	} else if (status == STATUS_NOT_MODIFIED) {
		response_status(out, STATUS_NOT_MODIFIED, NULL);
		validator_headers(cfg, out, &v, etag);
		response_end_head(out);
		status = 0;
	} else {
		struct partial p;
		decide_ranges(rq, &pc, &v, etag, type, &p);
		send_representation(cfg, &v, etag, type, &p, out);
	}
	if (v.fd != t->fd)
		close(v.fd);
	return status;
}

/* Python's "redirect browser - doing basically what apache does": the
 * path plus '/', query kept. Deliberately differs: the path is our
 * canonical one, percent-encoded again, not the one sent, so that no
 * "/%2F%2Fevil" or backslash can make the Location name another host. */
static int send_redirect(const struct request *rq, const struct target *t,
			 struct response *out, const char **why)
{
	char joined[URL_PATH_MAX + 2], location[3 * URL_PATH_MAX + 8];
	if (url_join(&t->path, 0, t->path.n, joined, sizeof joined) == (size_t)-1 ||
	    url_encode_path(location, sizeof location - 2, joined) == (size_t)-1) {
		*why = "path too long";
		return STATUS_URI_TOO_LONG;
	}
	strcat(location, "/");
	response_status(out, STATUS_MOVED_PERMANENTLY, NULL);
	/* As urlunsplit: an empty query is no query. */
	if (rq->query && rq->query[0])
		response_header(out, "Location", "%s?%s", location, rq->query);
	else
		response_header(out, "Location", "%s", location);
	response_header(out, "Content-Length", "0");
	response_end_head(out);
	return 0;
}

int file_send(const struct config *cfg, const struct request *rq, const struct target *t,
	      struct response *out, const char **why)
{
	switch (t->kind) {
	case TARGET_FILE:
		return send_file(cfg, rq, t, out, why);
	case TARGET_LISTING:
		return listing_send(cfg, t, out, why);
	case TARGET_REDIRECT:
		return send_redirect(rq, t, out, why);
	case TARGET_CGI:
		break;
	}
	*why = "not a static target";
	return STATUS_INTERNAL_ERROR;
}
