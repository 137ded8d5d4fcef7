#include "file.h"

#include <stdlib.h>
#include <string.h>

#include "httpdate.h"
#include "listing.h"
#include "mime.h"
#include "status.h"

/* Python's send_head: If-Modified-Since counts only without If-None-Match,
 * only when it parses, and only in UTC; then mtime <= it means 304. */
static bool not_modified(const struct request *rq, const struct stat *st)
{
	const char *ims = request_header(rq, "If-Modified-Since");
	time_t since;
	if (ims == NULL || request_header(rq, "If-None-Match") != NULL ||
	    httpdate_parse(ims, &since) != 0)
		return false;
	return st->st_mtime <= since;
}

static int send_file(const struct request *rq, const struct target *t,
		     struct response *out)
{
	char modified[HTTPDATE_LEN];
	httpdate_format(t->st.st_mtime, modified);
	if (not_modified(rq, &t->st)) {
		response_status(out, STATUS_NOT_MODIFIED, NULL);
		response_end_head(out);
		return 0;
	}
	/* The name that decides the type is the one served: index.html for
	 * a directory, else the last component. */
	const char *name = t->path.n ? t->path.component[t->path.n - 1] : "";
	if (t->path.slash_sent)
		name = "index.html";
	response_status(out, STATUS_OK, NULL);
	response_header(out, "Content-Type", "%s", guess_type(name));
	response_header_number(out, "Content-Length", (long long)t->st.st_size);
	response_header(out, "Last-Modified", "%s", modified);
	response_end_head(out);
	response_sendfile(out, t->fd, 0, t->st.st_size);
	return 0;
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
		return send_file(rq, t, out);
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
