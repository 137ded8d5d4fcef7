#include "vhost.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "confine.h"
#include "status.h"

bool vhost_name(const char *host, char name[VHOST_NAME_MAX + 1])
{
	if (host == NULL || host[0] == '[')
		return false; /* no Host, or an IPv6 literal: the default */
	/* The request parser let through only digits after the first ':'. */
	size_t n = strcspn(host, ":");
	/* mini_httpd and bozohttpd: ".." named the parent of the virtual
	 * root. Never part of a name, the trailing dot counted. */
	for (size_t i = 1; i < n; i++)
		if (host[i] == '.' && host[i - 1] == '.')
			return false;
	if (n > 0 && host[n - 1] == '.')
		n--; /* "example.com." is example.com */
	if (n == 0 || n > VHOST_NAME_MAX || host[0] == '.')
		return false;
	char buf[VHOST_NAME_MAX + 1];
	for (size_t i = 0; i < n; i++) {
		char c = host[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.'))
			return false;
		buf[i] = c;
	}
	buf[n] = '\0';
	memcpy(name, buf, n + 1);
	return true;
}

/* A site is a directory directly in the root, or a symbolic link to
 * another one (www.example.com -> example.com): never deeper, so a link
 * cannot make .git, a CGI directory's contents or the root itself a site.
 * Judged by the real path; without /proc, links are not followed. */
static bool open_site(const struct config *cfg, const char *name, int *fd,
		      char real[REAL_PATH_MAX])
{
	const char *ignored;
	bool known = confine_root_verifiable(&cfg->root_dir);
	int flags = O_PATH | O_DIRECTORY | (known ? 0 : O_NOFOLLOW);
	if (confine_open(&cfg->root_dir, name, flags, fd, &ignored) != 0)
		return false;
	if (!known) {
		snprintf(real, REAL_PATH_MAX, "/%s", name);
		return true;
	}
	if (confine_relative_path(&cfg->root_dir, *fd, real, REAL_PATH_MAX) == 0 &&
	    real[0] == '/' && real[1] != '\0' && real[1] != '.' &&
	    strchr(real + 1, '/') == NULL)
		return true;
	close(*fd);
	return false;
}

int vhost_select(struct config *cfg, const struct request *rq, const char **why)
{
	char name[VHOST_NAME_MAX + 1], real[REAL_PATH_MAX];
	int fd = -1;
	/* Beneath the root, as every other path: a ROOT/HOST that is a link
	 * out of it, or into it too deep, is no site, and the default
	 * answers. */
	if (!vhost_name(rq->host, name) || !open_site(cfg, name, &fd, real)) {
		strcpy(name, VHOST_DEFAULT);
		if (!open_site(cfg, name, &fd, real)) {
			*why = "no such virtual host, and no default";
			return STATUS_NOT_FOUND;
		}
	}
	snprintf(cfg->site_root, sizeof cfg->site_root, "%s/%s", cfg->root, name);
	/* The site's real path: the root's and the site's own below it. */
	char site_real[REAL_PATH_MAX];
	const char *root_real = confine_root_real(&cfg->root_dir);
	const char *base = strcmp(root_real, "/") == 0 ? "" : root_real;
	if ((size_t)snprintf(site_real, sizeof site_real, "%s%s", base, real) >=
	    sizeof site_real) {
		close(fd);
		*why = "virtual host path too long";
		return STATUS_INTERNAL_ERROR;
	}
	confine_root_replace(&cfg->root_dir, fd, cfg->site_root, site_real);
	cfg->root = cfg->site_root;
	return 0;
}
