#include "auth.h"

#include <string.h>

#include "ascii.h"

/* The hash schemes libxcrypt computes that are worth a password today:
 * yescrypt, bcrypt (the fixed $2b$ and its $2y$ twin), sha512-crypt and
 * sha256-crypt. DES (no '$'), MD5 ($1$), $2a$ (the old bcrypt bug) and
 * plaintext are refused when the file is read, so that a weak line is an
 * operator's error and never a password someone can recover. */
static const char *const hash_schemes[] = { "$y$", "$2b$", "$2y$", "$6$", "$5$" };

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Printable ASCII but space, and any byte above it (UTF-8 names). */
static bool is_visible(unsigned char c)
{
	return c > 0x20 && c != 0x7f;
}

/* "/", or "/a/b" with no empty, "." or ".." component and nothing a
 * canonical path cannot hold: what url_join gives, so that a byte
 * comparison decides. A trailing '/' is cut off (written into the text). */
static bool canonical_prefix(char *prefix, size_t *len)
{
	size_t n = *len;
	while (n > 1 && prefix[n - 1] == '/')
		prefix[--n] = '\0';
	if (prefix[0] != '/')
		return false;
	*len = n;
	if (n == 1)
		return true;
	for (size_t i = 0; i < n;) {
		size_t start = ++i;             /* past the '/' */
		while (i < n && prefix[i] != '/')
			i++;
		size_t part = i - start;
		if (part == 0 || (part == 1 && prefix[start] == '.') ||
		    (part == 2 && prefix[start] == '.' && prefix[start + 1] == '.'))
			return false;
	}
	return true;
}

static bool accepted_hash(const char *hash)
{
	for (size_t i = 0; i < sizeof hash_schemes / sizeof *hash_schemes; i++)
		if (strncmp(hash, hash_schemes[i], strlen(hash_schemes[i])) == 0)
			return strlen(hash) > strlen(hash_schemes[i]);
	return false;
}

size_t auth_rules_bound(const char *text, size_t len)
{
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	return lines;
}

/* One line, NUL-terminated, without its LF (a CR before it is a blank).
 * Returns 1 for a rule, 0 for a blank or comment line, -1 with *why. */
static int parse_line(char *line, struct auth_rule *rule, const char **why)
{
	char *p = line;
	while (is_blank(*p) || *p == '\r')
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	char *prefix = p;
	while (is_visible((unsigned char)*p))
		p++;
	if (!is_blank(*p)) {
		*why = *p ? "control character in the line" : "no USER:HASH after the prefix";
		return -1;
	}
	size_t prefix_len = (size_t)(p - prefix);
	*p++ = '\0';
	while (is_blank(*p))
		p++;
	char *user = p;
	while (is_visible((unsigned char)*p))
		p++;
	char *end = p;
	while (is_blank(*p) || *p == '\r')
		p++;
	if (*p != '\0') {
		*why = "more than PATH-PREFIX USER:HASH on the line";
		return -1;
	}
	*end = '\0';
	if (!canonical_prefix(prefix, &prefix_len)) {
		*why = "prefix is not a path like /admin";
		return -1;
	}
	char *colon = strchr(user, ':');
	if (colon == NULL || colon == user) {
		*why = "no USER:HASH after the prefix";
		return -1;
	}
	*colon = '\0';
	const char *hash = colon + 1;
	if (strlen(user) > AUTH_USER_MAX || strlen(hash) > AUTH_HASH_MAX) {
		*why = "user name or hash too long";
		return -1;
	}
	if (!accepted_hash(hash)) {
		*why = "hash is not yescrypt, bcrypt, sha512-crypt or sha256-crypt "
		       "(plaintext, DES and MD5 are refused)";
		return -1;
	}
	*rule = (struct auth_rule){ prefix, prefix_len, user, hash, 0 };
	return 1;
}

long auth_parse(char *text, size_t len, struct auth_rule *rules, size_t cap,
		unsigned *bad_line, const char **why)
{
	size_t n = 0;
	unsigned line_no = 0;
	for (size_t start = 0; start < len;) {
		line_no++;
		char *nl = memchr(text + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - text) : len;
		if (memchr(text + start, '\0', end - start) != NULL) {
			*bad_line = line_no;
			*why = "NUL byte in the line";
			return -1;
		}
		text[end] = '\0';  /* the LF, or the byte past the text */
		struct auth_rule rule;
		int got = parse_line(text + start, &rule, why);
		if (got < 0 || (got > 0 && n == cap)) {
			if (got > 0)
				*why = "too many lines";
			*bad_line = line_no;
			return -1;
		}
		if (got > 0) {
			rule.line = line_no;
			rules[n++] = rule;
		}
		start = end + 1;
	}
	return (long)n;
}

/* path is under prefix, on whole components. */
static bool under(const char *path, const struct auth_rule *r)
{
	if (r->prefix_len == 1)
		return true;                    /* "/" covers the site */
	return strncmp(path, r->prefix, r->prefix_len) == 0 &&
		(path[r->prefix_len] == '\0' || path[r->prefix_len] == '/');
}

const struct auth_rule *auth_match(const struct auth_rule *rules, size_t n,
				   const char *path)
{
	const struct auth_rule *best = NULL;
	for (size_t i = 0; i < n; i++)
		if (under(path, &rules[i]) &&
		    (best == NULL || rules[i].prefix_len > best->prefix_len))
			best = &rules[i];
	return best;
}

const struct auth_rule *auth_find_user(const struct auth_rule *rules, size_t n,
				       const struct auth_rule *prefix,
				       const char *user)
{
	for (size_t i = 0; i < n; i++)
		if (rules[i].prefix_len == prefix->prefix_len &&
		    strcmp(rules[i].prefix, prefix->prefix) == 0 &&
		    strcmp(rules[i].user, user) == 0)
			return &rules[i];
	return NULL;
}

static int base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+') return 62;
	if (c == '/') return 63;
	return -1;
}

/* Standard base64, strictly (RFC 4648 3.5): groups of four with '='
 * padding only at the end, and the bits the padding leaves over zero, so
 * that one set of bytes has one encoding. Returns the length decoded into
 * dst (cap bytes, NUL added), or -1. */
static long base64_decode_strict(const char *src, size_t len, char *dst,
				 size_t cap)
{
	if (len == 0 || len % 4 != 0)
		return -1;
	size_t out = 0;
	for (size_t i = 0; i < len; i += 4) {
		bool last = i + 4 == len;
		int v[4];
		unsigned pad = 0;
		for (unsigned k = 0; k < 4; k++) {
			unsigned char c = (unsigned char)src[i + k];
			if (c == '=' && last && k >= 2 &&
			    (k == 3 || src[i + 3] == '=')) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad > 0 || (v[k] = base64_value(c)) < 0)
				return -1;
		}
		unsigned bits = (unsigned)v[0] << 18 | (unsigned)v[1] << 12 |
			(unsigned)v[2] << 6 | (unsigned)v[3];
		if ((pad == 1 && (bits & 0xff)) || (pad == 2 && (bits & 0xffff)))
			return -1;              /* leftover bits set */
		unsigned bytes = 3 - pad;
		if (out + bytes + 1 > cap)
			return -1;
		for (unsigned k = 0; k < bytes; k++)
			dst[out++] = (char)(bits >> (16 - 8 * k) & 0xff);
	}
	dst[out] = '\0';
	return (long)out;
}

enum auth_header auth_parse_header(const char *value,
				   struct auth_credentials *c,
				   const char **why)
{
	size_t scheme = strcspn(value, " ");
	if (scheme != 5 || ascii_ncasecmp(value, "Basic", 5) != 0) {
		*why = "no Basic credentials";
		return AUTH_OTHER;
	}
	const char *encoded = value + scheme;
	while (*encoded == ' ')
		encoded++;
	size_t len = strlen(encoded);
	if (len > AUTH_CREDENTIALS_MAX) {
		*why = "Basic credentials too long";
		return AUTH_MALFORMED;
	}
	char decoded[AUTH_CREDENTIALS_MAX];
	long n = base64_decode_strict(encoded, len, decoded, sizeof decoded);
	if (n < 0)
		goto malformed;
	char *colon = memchr(decoded, ':', (size_t)n);
	if (colon == NULL || colon == decoded)
		goto malformed;
	size_t user_len = (size_t)(colon - decoded);
	if (user_len > AUTH_USER_MAX)
		goto malformed;
	for (size_t i = 0; i < user_len; i++)
		if ((unsigned char)decoded[i] < 0x20 || decoded[i] == 0x7f)
			goto malformed;
	size_t password_len = (size_t)n - user_len - 1;
	if (memchr(colon + 1, '\0', password_len) != NULL)
		goto malformed;
	memcpy(c->user, decoded, user_len);
	c->user[user_len] = '\0';
	memcpy(c->password, colon + 1, password_len + 1);
	return AUTH_BASIC;
malformed:
	*why = "malformed Basic credentials";
	return AUTH_MALFORMED;
}

size_t auth_challenge(const char *prefix, char *dst, size_t cap)
{
	static const char head[] = "Basic realm=\"", tail[] = "\", charset=\"UTF-8\"";
	size_t len = 0;
	if (cap < sizeof head)
		return (size_t)-1;
	memcpy(dst, head, sizeof head - 1);
	len = sizeof head - 1;
	for (const char *p = prefix; *p; p++) {
		if (len + 2 + sizeof tail > cap)
			return (size_t)-1;
		if (*p == '"' || *p == '\\')
			dst[len++] = '\\';
		dst[len++] = *p;
	}
	if (len + sizeof tail > cap)
		return (size_t)-1;
	memcpy(dst + len, tail, sizeof tail);
	return len + sizeof tail - 1;
}

bool auth_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	size_t n = na > nb ? na : nb;
	unsigned diff = na != nb;
	for (size_t i = 0; i < n; i++) {
		unsigned char ca = i < na ? (unsigned char)a[i] : 0;
		unsigned char cb = i < nb ? (unsigned char)b[i] : 0;
		diff |= (unsigned)(ca ^ cb);
	}
	return diff == 0;
}
