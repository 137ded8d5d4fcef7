/* What answers a request, as routing decides it and the answering stages
 * (file, listing, CGI) take it: a type shared between them, so that none
 * of them sits above routing for it. No code. */
#ifndef CGIHANDLERD_TARGET_H
#define CGIHANDLERD_TARGET_H

#include <sys/stat.h>

#include "url.h"

enum target_kind { TARGET_FILE, TARGET_LISTING, TARGET_REDIRECT, TARGET_CGI };

struct target {
	/* The small fields first, on one page with the start of the path:
	 * each page of this 29 kB that a request touches is one more page of
	 * its memory. */
	enum target_kind kind;
	int fd;                /* FILE: the file; LISTING: the directory; else -1 */
	struct stat st;
	/* CGI: components [0, cgi_dir_n) name the CGI directory, the one at
	 * script names the script, and those after it are PATH_INFO. */
	unsigned cgi_dir_n;
	unsigned script;
	struct url_path path;  /* the one canonical path (see url.h) */
	/* CGI, when the script is a symlink: the file it leads to, relative
	 * to the root ("cgi-bin/real.sh"), which is what is exec'd; else "". */
	char script_real[URL_PATH_MAX + 2];
};

#endif
