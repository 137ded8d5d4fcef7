#include "route.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confine.h"
#include "status.h"

/* A component starting with '.' is hidden (.git, .env, .htpasswd), except
 * the first one being /.well-known/ (RFC 8615). */
static bool hidden_component(const char *name, unsigned index)
{
	return name[0] == '.' && !(index == 0 && strcmp(name, ".well-known") == 0);
}

static bool is_hidden(const struct config *cfg, const struct url_path *p)
{
	for (unsigned i = 0; i < p->n && !cfg->show_hidden; i++)
		if (hidden_component(p->component[i], i))
			return true;
	return false;
}

/* The same rule on a real path below the root ("/a/b"). */
static bool real_path_hidden(const struct config *cfg, char *path)
{
	unsigned index = 0;
	for (char *name = strtok(path, "/"); name && !cfg->show_hidden;
	     name = strtok(NULL, "/"))
		if (hidden_component(name, index++))
			return true;
	return false;
}

/* Judges what the kernel reached, not what the URL said: through a symlink
 * ("scripts -> cgi-bin") a file below a CGI directory would be served as
 * its source, which Python's handler does, and a link could reach a
 * hidden file. Without /proc (a chroot) the URL checks stand alone; with
 * it, a real path that cannot be read (over PATH_MAX) is refused. */
static int check_real_path(const struct config *cfg, int fd,
			   const struct stat *st, bool symlink_free,
			   const char **why)
{
	char real[REAL_PATH_MAX], cgi_real[REAL_PATH_MAX];
	/* No symlink on the way to the file, nor to any CGI directory: the
	 * real paths are the URL's, which is_hidden and is_cgi judged. A
	 * file no one may execute is never run as a script (cgi.c asks for
	 * X_OK), so it has no source to hide, and the CGI directories need
	 * not be looked at: the usual static file pays for none of this. */
	bool aliased = !symlink_free;
	bool runnable = S_ISDIR(st->st_mode) ||
		(st->st_mode & (S_IXUSR | S_IXGRP | S_IXOTH));
	for (unsigned d = 0; d < cfg->n_cgi_dirs && !aliased && runnable; d++)
		aliased = confine_dir_symlink_free(&cfg->root_dir,
						   cfg->cgi_dirs[d] + 1) < 0;
	if (!aliased || !confine_root_verifiable(&cfg->root_dir))
		return 0;
	*why = "real path cannot be verified";
	if (confine_relative_path(&cfg->root_dir, fd, real, sizeof real) != 0)
		return STATUS_FORBIDDEN;
	for (unsigned d = 0; d < cfg->n_cgi_dirs; d++) {
		int dir;
		const char *ignored;
		/* cgi_dirs are URL paths ("/cgi-bin"); past the '/' they are
		 * relative to the root. */
		if (confine_open(&cfg->root_dir, cfg->cgi_dirs[d] + 1,
				 O_PATH | O_DIRECTORY, &dir, &ignored) != 0)
			continue; /* no such CGI directory, nothing to reach */
		int known = confine_relative_path(&cfg->root_dir, dir, cgi_real,
						  sizeof cgi_real);
		close(dir);
		if (known != 0)
			return STATUS_FORBIDDEN;
		if (confine_path_within(real, cgi_real)) {
			*why = "CGI directory reached by another path";
			return STATUS_FORBIDDEN;
		}
	}
	if (real_path_hidden(cfg, real)) {
		*why = "hidden file reached through a symlink";
		return STATUS_NOT_FOUND;
	}
	*why = NULL;
	return 0;
}

/* Python's CGIHTTPRequestHandler.is_cgi, on the canonical path: the
 * shortest leading run of components that is one of cgi_dirs and is
 * followed by a '/'. Returns how many components that run has, or 0. */
unsigned route_is_cgi(const struct config *cfg, const struct url_path *p)
{
	char prefix[URL_PATH_MAX + 2];
	for (unsigned k = 1; k <= p->n; k++) {
		if (k == p->n && !p->trailing_slash)
			break;
		if (url_join(p, 0, k, prefix, sizeof prefix) == (size_t)-1)
			break;
		for (unsigned d = 0; d < cfg->n_cgi_dirs; d++)
			if (strcmp(prefix, cfg->cgi_dirs[d]) == 0)
				return k;
	}
	return 0;
}

static bool is_directory(const struct confine_root *root, const char *path)
{
	int fd;
	const char *why;
	if (confine_open(root, path, O_PATH | O_DIRECTORY, &fd, &why) != 0)
		return false;
	close(fd);
	return true;
}

/* A script that is a symlink: where it leads, confined below the root,
 * as a path relative to it, so that the file the link names now is the
 * one that runs however the link changes. Without /proc, where that path
 * cannot be read, a symlinked script is refused. */
static int follow_script_link(const struct config *cfg, const char *path,
			      struct target *t, const char **why)
{
	int fd;
	char real[REAL_PATH_MAX];
	int status = confine_open(&cfg->root_dir, path, O_PATH, &fd, why);
	if (status)
		return status;
	int err = fstat(fd, &t->st) == 0 ? 0 : errno;
	bool known = !err && confine_relative_path(&cfg->root_dir, fd, real,
						   sizeof real) == 0;
	close(fd);
	if (err) {
		*why = "cannot stat CGI script";
		return status_from_errno(err);
	}
	if (!known || real[0] != '/' || strlen(real + 1) >= sizeof t->script_real) {
		*why = "CGI script link cannot be verified";
		return STATUS_FORBIDDEN;
	}
	strcpy(t->script_real, real + 1);
	return 0;
}

/* Python's run_cgi: walk down while the next component is a directory
 * with something after it; the component after the deepest such directory
 * is the script, the rest is PATH_INFO. */
static int route_cgi(const struct config *cfg, struct target *t,
		     const char **why)
{
	const struct url_path *p = &t->path;
	char path[URL_PATH_MAX + 2];
	unsigned k = t->cgi_dir_n;
	while (k < p->n && (k + 1 < p->n || p->trailing_slash)) {
		if (url_fs_path(p, k + 1, path, sizeof path) == (size_t)-1 ||
		    !is_directory(&cfg->root_dir, path))
			break;
		k++;
	}
	t->kind = TARGET_CGI;
	t->script = k;
	if (k == p->n) {
		*why = "CGI script is not a plain file";
		return STATUS_FORBIDDEN;
	}
	if (url_fs_path(p, k + 1, path, sizeof path) == (size_t)-1) {
		*why = "path too long";
		return STATUS_URI_TOO_LONG;
	}
	int fd;
	/* The script is exec'd without following a last symlink (cgi.c),
	 * so that none swapped in can run a program from outside the root:
	 * a symlink found now is followed now, confined, and what it leads
	 * to is what runs. */
	int status = confine_open(&cfg->root_dir, path, O_PATH | O_NOFOLLOW,
				  &fd, why);
	if (status == STATUS_NOT_FOUND) {
		*why = "No such CGI script";
		return status;
	}
	if (status)
		return status;
	int err = fstat(fd, &t->st) == 0 ? 0 : errno;
	close(fd);
	if (err) {
		*why = "cannot stat CGI script";
		return status_from_errno(err);
	}
	t->script_real[0] = '\0';
	if (S_ISLNK(t->st.st_mode)) {
		status = follow_script_link(cfg, path, t, why);
		if (status)
			return status;
	}
	if (!S_ISREG(t->st.st_mode)) {
		*why = "CGI script is not a plain file";
		return STATUS_FORBIDDEN;
	}
	/* althttpd's rule: a script anyone else may rewrite is not ours. */
	if (!cfg->allow_writable_scripts &&
	    (t->st.st_mode & (S_IWGRP | S_IWOTH))) {
		*why = "CGI script is writable by group or others";
		return STATUS_FORBIDDEN;
	}
	return 0;
}

static int open_index(const struct config *cfg, struct target *t,
		      bool *symlink_free)
{
	static const char *const names[] = { "index.html", "index.htm" };
	char path[URL_PATH_MAX + 16];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", t->path.fs, names[i]);
		int fd;
		const char *why;
		struct stat st;
		if (confine_open_readable(&cfg->root_dir, path, &fd, &st,
					  symlink_free, &why) != 0)
			continue;
		if (S_ISREG(st.st_mode)) {
			t->st = st;
			return fd;
		}
		close(fd);
	}
	return -1;
}

/* SimpleHTTPRequestHandler.send_head's decisions, without the I/O. */
static int route_file(const struct config *cfg, struct target *t,
		      const char **why)
{
	bool symlink_free;
	int status = confine_open_readable(&cfg->root_dir, t->path.fs, &t->fd,
					   &t->st, &symlink_free, why);
	/* Python's Issue17324: "/file.txt/" is not the file, and no more is
	 * "/fifo/" (st_mode is 0 when nothing was found to stat). */
	if (status == STATUS_FORBIDDEN && t->path.slash_sent &&
	    t->st.st_mode != 0 && !S_ISDIR(t->st.st_mode)) {
		*why = "file not found";
		return STATUS_NOT_FOUND;
	}
	if (status)
		return status;
	if (S_ISDIR(t->st.st_mode)) {
		if (!t->path.slash_sent) {
			t->kind = TARGET_REDIRECT;
			return 0;
		}
		bool index_symlink_free;
		int index = open_index(cfg, t, &index_symlink_free);
		if (index >= 0) {
			close(t->fd);
			t->fd = index;
			t->kind = TARGET_FILE;
			symlink_free = symlink_free && index_symlink_free;
		} else {
			t->kind = TARGET_LISTING;
		}
		return check_real_path(cfg, t->fd, &t->st, symlink_free, why);
	}
	/* Python's Issue17324: "/file.txt/" is not the file. */
	if (t->path.slash_sent) {
		*why = "file not found";
		return STATUS_NOT_FOUND;
	}
	t->kind = TARGET_FILE;
	return check_real_path(cfg, t->fd, &t->st, symlink_free, why);
}

/* --cgi-methods: a method beyond GET, HEAD and POST that scripts take. */
static bool cgi_method(const struct config *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->n_cgi_methods; i++)
		if (strcmp(name, cfg->cgi_methods[i]) == 0)
			return true;
	return false;
}

int route_path(const struct config *cfg, const struct request *rq,
	       struct target *t, const char **why)
{
	t->fd = -1;
	t->kind = TARGET_FILE;
	if (rq->method == METHOD_OTHER &&
	    (rq->target_unparsed || !cgi_method(cfg, rq->method_name))) {
		*why = "unsupported method";
		return STATUS_NOT_IMPLEMENTED;
	}
	int status = url_canonical_path(rq->path, &t->path);
	if (status) {
		*why = status == STATUS_BAD_REQUEST ?
			"control character in decoded path" : "path too long";
		return status;
	}
	if (is_hidden(cfg, &t->path)) {
		*why = "hidden file";
		return STATUS_NOT_FOUND;
	}
	return 0;
}

int route(const struct config *cfg, const struct request *rq,
	  struct target *t, const char **why)
{
	t->cgi_dir_n = route_is_cgi(cfg, &t->path);
	if (t->cgi_dir_n > 0)
		return route_cgi(cfg, t, why);
	if (rq->method == METHOD_POST) {
		*why = "Can only POST to CGI scripts";
		return STATUS_NOT_IMPLEMENTED;
	}
	if (rq->method == METHOD_OTHER) {
		*why = "unsupported method";
		return STATUS_NOT_IMPLEMENTED;
	}
	if (rq->chunked) {
		*why = "chunked body to a static file";
		return STATUS_LENGTH_REQUIRED;
	}
	return route_file(cfg, t, why);
}
