/* Password-protected paths (--auth): the file's text taken apart into
 * rules, the rules a canonical path falls under, and an Authorization
 * header's Basic credentials decoded. Pure: bytes in, structs out; no I/O,
 * no globals, no crypt (authcheck.h reads the file and verifies). Parsing
 * writes NULs into the text it is given; the rules point into it. */
#ifndef CGIHANDLERD_AUTH_H
#define CGIHANDLERD_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "bounds.h"
#include "url.h"

/* One line "PATH-PREFIX USER:HASH". */
struct auth_rule {
	const char *prefix;   /* "/admin", or "/" for the whole site */
	size_t prefix_len;
	const char *user;
	const char *hash;     /* "$y$...", "$2b$...", "$6$...", "$5$..." */
	unsigned line;        /* 1-based, for the log */
};

/* Parses text (len bytes, and one byte after them that may be written:
 * each line's end becomes a NUL) into at most cap
 * rules. Blank lines and lines whose first non-blank is '#' are skipped.
 * Returns the number of rules, or -1 with *bad_line (1-based) and *why:
 * a malformed line, a prefix that is not a canonical path, a hash of a
 * scheme not accepted (plaintext, DES, MD5, anything unknown), more than
 * cap rules. */
long auth_parse(char *text, size_t len, struct auth_rule *rules, size_t cap,
		unsigned *bad_line, const char **why);

/* How many rules a text of len bytes can hold at most: its lines. */
size_t auth_rules_bound(const char *text, size_t len);

/* The longest prefix among rules that path (canonical, as url_join gives
 * it: "" for the root, "/admin/x") is under, matched on whole
 * components: "/admin" covers "/admin" and "/admin/x", not
 * "/administrator". Returns the first rule with that prefix, or NULL when
 * the path is not protected. */
const struct auth_rule *auth_match(const struct auth_rule *rules, size_t n,
				   const char *path);

/* The rule of prefix->prefix (the one auth_match returned) for user, or
 * NULL. */
const struct auth_rule *auth_find_user(const struct auth_rule *rules, size_t n,
				       const struct auth_rule *prefix,
				       const char *user);

/* What an Authorization header says. */
enum auth_header {
	AUTH_BASIC,      /* user and password decoded */
	AUTH_OTHER,      /* a scheme other than Basic: no credentials for us */
	AUTH_MALFORMED,  /* Basic, but not strictly "Basic <base64 of u:p>" */
};

struct auth_credentials {
	/* Decoded "user:password", split at the first colon. */
	char user[AUTH_USER_MAX + 1];
	char password[AUTH_CREDENTIALS_MAX];
};

/* RFC 7617: "Basic" (any case), one or more spaces, then standard base64
 * with its padding and nothing else; the decoded bytes split at the first
 * ':'. A user of 1..AUTH_USER_MAX bytes without controls, a password
 * without NUL (crypt would end it there). *why says what was wrong. */
enum auth_header auth_parse_header(const char *value,
				   struct auth_credentials *c,
				   const char **why);

/* The WWW-Authenticate value for a prefix: Basic realm="PREFIX",
 * charset="UTF-8", with '"' and '\' escaped. Returns bytes written, or
 * (size_t)-1 when cap is too small. */
size_t auth_challenge(const char *prefix, char *dst, size_t cap);

/* a and b equal, in a time that depends on their lengths only. */
bool auth_equal(const char *a, const char *b);

#endif
