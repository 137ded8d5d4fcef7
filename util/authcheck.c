#include "authcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ascii.h"
#include "config-build.h"
#include "log.h"
#include "status.h"

#if HAVE_CRYPT_R
#include <crypt.h>
#include <dlfcn.h>
#endif

/* The whole file, NUL after it, or -1 with errno (EFBIG: over the bound;
 * O_NONBLOCK so that a FIFO named by mistake is refused, not waited on). */
static long read_file(const char *file, char **text)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	struct stat st;
	int err = 0;
	if (fstat(fd, &st) != 0)
		err = errno;
	else if (!S_ISREG(st.st_mode))
		err = EINVAL;               /* a FIFO would hang the request */
	else if (st.st_size > AUTH_FILE_MAX)
		err = EFBIG;
	if (err) {
		close(fd);
		errno = err;
		return -1;
	}
	/* One byte more than st_size is asked for: a file that grew while
	 * it was read is refused, not cut (its last line may be half there). */
	size_t size = (size_t)st.st_size;
	char *buf = malloc(size + 2);
	size_t len = 0;
	ssize_t got = 1;
	while (buf && len <= size &&
	       (got = read(fd, buf + len, size + 1 - len)) > 0)
		len += (size_t)got;
	err = !buf ? ENOMEM : got < 0 ? errno : len > size ? EAGAIN : 0;
	close(fd);
	if (err) {
		free(buf);
		errno = err;
		return -1;
	}
	buf[len] = '\0';
	*text = buf;
	return (long)len;
}

int authcheck_load(const char *file, struct auth_table *t, const char **why)
{
	*t = (struct auth_table){ 0 };
	long len = read_file(file, &t->text);
	if (len < 0) {
		log_message("--auth %s cannot be read: %s", file, strerror(errno));
		*why = "auth file cannot be read";
		return STATUS_INTERNAL_ERROR;
	}
	size_t cap = auth_rules_bound(t->text, (size_t)len);
	t->rules = malloc(cap * sizeof *t->rules);
	if (t->rules == NULL) {
		*why = "out of memory";
		return STATUS_INTERNAL_ERROR;
	}
	unsigned line = 0;
	const char *bad = NULL;
	long n = auth_parse(t->text, (size_t)len, t->rules, cap, &line, &bad);
	if (n < 0) {
		log_message("--auth %s line %u: %s", file, line, bad);
		*why = "auth file malformed";
		return STATUS_INTERNAL_ERROR;
	}
	t->n = (size_t)n;
	return 0;
}

#if HAVE_CRYPT_R
typedef char *crypt_r_function(const char *, const char *, struct crypt_data *);

/* libcrypt is loaded here, when a password is checked, not linked into
 * the program: loading it at exec would cost every request, protected
 * or not (meson.build has the figures). NULL, logged, when it cannot be. */
static crypt_r_function *load_crypt_r(void)
{
	void *lib = dlopen(CRYPT_LIBRARY, RTLD_NOW | RTLD_LOCAL);
	void *symbol = lib ? dlsym(lib, "crypt_r") : NULL;
	if (symbol == NULL) {
		log_message("--auth: cannot load crypt_r from %s: %s",
			    CRYPT_LIBRARY, dlerror());
		return NULL;
	}
	/* POSIX makes the two pointers one representation; ISO C has no
	 * cast between them, a union reads one as the other. */
	union { void *object; crypt_r_function *function; } found = { .object = symbol };
	return found.function;
}
#endif

/* 1 when crypt_r's hash of password with the stored hash as setting
 * equals it (compared in constant time), 0 when not, -1 when crypt_r
 * cannot be had. crypt_r fails with NULL, or a string starting with '*'
 * that no stored hash equals (accepted hashes start with '$'). */
static int verify(const char *password, const char *hash)
{
#if HAVE_CRYPT_R
	crypt_r_function *crypt_fn = load_crypt_r();
	if (crypt_fn == NULL)
		return -1;
	struct crypt_data *data = calloc(1, sizeof *data);
	if (data == NULL)
		return -1;
	const char *computed = crypt_fn(password, hash, data);
	bool ok = computed != NULL && computed[0] == '$' && auth_equal(computed, hash);
	explicit_bzero(data, sizeof *data);
	free(data);
	return ok;
#else
	(void)password;
	(void)hash;
	return -1;      /* config_from_args refuses --auth in this build */
#endif
}

/* A user name from the client, for the log: bytes outside printable
 * ASCII (and '\') as \xNN. */
static void escape_user(char *dst, size_t cap, const char *user)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = 0;
	for (const unsigned char *p = (const unsigned char *)user;
	     *p && len + 5 < cap; p++) {
		if (*p > 0x20 && *p < 0x7f && *p != '\\') {
			dst[len++] = (char)*p;
		} else {
			dst[len++] = '\\';
			dst[len++] = 'x';
			dst[len++] = hex[*p >> 4];
			dst[len++] = hex[*p & 15];
		}
	}
	dst[len] = '\0';
}

static int refuse(struct auth_result *r, const struct auth_rule *prefix,
		  const char *why_text, const char **why)
{
	if (auth_challenge(prefix->prefix, r->challenge, sizeof r->challenge) ==
	    (size_t)-1)
		strcpy(r->challenge, "Basic realm=\"protected\", charset=\"UTF-8\"");
	*why = why_text;
	return STATUS_UNAUTHORIZED;
}

int authcheck_request(const struct config *cfg, const struct connection *conn,
		      const struct auth_table *t, const struct request *rq,
		      const struct url_path *path, struct auth_result *r,
		      const char **why)
{
	r->user = NULL;
	r->challenge[0] = '\0';
	char joined[URL_PATH_MAX + 2];
	if (url_join(path, 0, path->n, joined, sizeof joined) == (size_t)-1) {
		*why = "path too long";
		return STATUS_URI_TOO_LONG;
	}
	const struct auth_rule *prefix = auth_match(t->rules, t->n, joined);
	if (prefix == NULL)
		return 0;                       /* not protected */
	/* A password in clear text on the wire is one anybody on the way
	 * can read: only TLS, told by --https, a TLS front end's
	 * environment or a PROXY header, or an operator who says the front
	 * end is local (--auth-over-http). */
	if (!cfg->https && !conn->proxy_tls && !cfg->auth_over_http) {
		*why = "protected path over plain HTTP";
		return STATUS_FORBIDDEN;
	}
	const char *value = NULL;
	for (unsigned i = 0; i < rq->n_headers; i++) {
		if (ascii_casecmp(rq->headers[i].name, "Authorization") != 0)
			continue;
		if (value != NULL) {
			*why = "Authorization header repeated";
			return STATUS_BAD_REQUEST;
		}
		value = rq->headers[i].value;
	}
	if (value == NULL)
		return refuse(r, prefix, "no credentials", why);
	struct auth_credentials c;
	const char *bad;
	switch (auth_parse_header(value, &c, &bad)) {
	case AUTH_BASIC:
		break;
	case AUTH_OTHER:
		return refuse(r, prefix, bad, why);
	case AUTH_MALFORMED:
		*why = bad;
		return STATUS_BAD_REQUEST;
	default:
		*why = "can't happen: unknown auth_parse_header result";
		return STATUS_INTERNAL_ERROR;
	}
	char user[AUTH_USER_MAX * 4 + 1];
	escape_user(user, sizeof user, c.user);
	const struct auth_rule *rule = auth_find_user(t->rules, t->n, prefix, c.user);
	/* An unknown user costs a hash too, so that the time of the answer
	 * does not tell which users exist. */
	int verified = verify(c.password, rule ? rule->hash : prefix->hash);
	explicit_bzero(c.password, sizeof c.password);
	if (verified < 0) {
		*why = "cannot verify passwords";
		return STATUS_INTERNAL_ERROR;
	}
	if (!verified || !rule) {
		strcpy(r->reason, "auth failed for user ");
		strcat(r->reason, user);
		strcat(r->reason, rule ? ": wrong password" : ": unknown user");
		return refuse(r, prefix, r->reason, why);
	}
	r->user = rule->user;
	return 0;
}

void authcheck_free(struct auth_table *t)
{
	free(t->text);
	free(t->rules);
	*t = (struct auth_table){ 0 };
}
