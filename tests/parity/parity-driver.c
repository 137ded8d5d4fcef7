/* Reads request targets, one a line, and prints what the canonical-path
 * code decides for each, one line per input, for tests/parity/parity.py
 * to hold against Python's own functions:
 *
 *   P<status>                      request_parse refused the target
 *   U<status>                      url_canonical_path refused the path
 *   0 COLLAPSED FS SLASH CGI TYPE  tab-separated, where COLLAPSED is the
 *       canonical path as _url_collapse_path would spell it, FS the path
 *       below the root, SLASH 1 if a slash was sent at the end, CGI the
 *       number of components naming the CGI directory (0: not CGI) and
 *       TYPE guess_type of the last component.
 *
 * Every byte outside '!'..'~', and '\', is printed as \xNN, so that a
 * line stays one line whatever the input held. The CGI directories are
 * the default ones, /cgi-bin and /htbin, as Python's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "request.h"
#include "route.h"
#include "url.h"

static void put_escaped(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < '!' || *p > '~' || *p == '\\')
			printf("\\x%02x", *p);
		else
			putchar(*p);
}

static void decide(const struct config *cfg, const char *target, size_t len)
{
	static char head[REQUEST_LINE_MAX + 64];
	static struct request rq;
	static struct url_path p;
	static char collapsed[URL_PATH_MAX + 3];
	const char *why;

	if (len + 40 > sizeof head) {
		puts("P414");
		return;
	}
	int n = snprintf(head, sizeof head, "GET %s HTTP/1.1\r\nHost: h\r\n\r\n",
			 target);
	int status = request_parse(head, (size_t)n, &rq, &why);
	if (status) {
		printf("P%d\n", status);
		return;
	}
	status = url_canonical_path(rq.path, &p);
	if (status) {
		printf("U%d\n", status);
		return;
	}
	size_t c = url_join(&p, 0, p.n, collapsed, sizeof collapsed - 1);
	if (c == (size_t)-1) {
		puts("U414");
		return;
	}
	if (p.trailing_slash)
		memcpy(collapsed + c, "/", 2);
	fputs("0\t", stdout);
	put_escaped(collapsed);
	putchar('\t');
	put_escaped(p.fs);
	printf("\t%d\t%u\t", p.slash_sent, route_is_cgi(cfg, &p));
	puts(guess_type(p.n ? p.component[p.n - 1] : ""));
}

int main(void)
{
	struct config cfg = {
		.cgi_dirs = { "/cgi-bin", "/htbin" },
		.n_cgi_dirs = 2,
	};
	static char line[REQUEST_LINE_MAX + 2];
	while (fgets(line, sizeof line, stdin)) {
		size_t len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		decide(&cfg, line, len);
	}
	return fflush(stdout) == 0 && !ferror(stdin) ? 0 : 1;
}
