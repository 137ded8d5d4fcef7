/* Fuzzes --auth's pure half with the same bytes two ways. As an
 * Authorization value: Basic credentials taken are the one encoding of
 * what was decoded (strict base64 has one spelling for each byte string),
 * a user without controls and a password without NUL, within their
 * bounds. As an --auth file: every rule taken is a canonical prefix, a
 * user without ':' and an accepted hash; a rule auth_match picks covers
 * the path on whole components and no longer prefix does; the challenge
 * for any prefix is bounded and quotes it back exactly. */
#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "bounds.h"
#include "fuzz.h"

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t encode(const char *src, size_t n, char *dst)
{
	size_t out = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)src[i] << 16;
		if (i + 1 < n)
			v |= (unsigned char)src[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)src[i + 2];
		dst[out++] = b64[v >> 18 & 63];
		dst[out++] = b64[v >> 12 & 63];
		dst[out++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		dst[out++] = i + 2 < n ? b64[v & 63] : '=';
	}
	dst[out] = '\0';
	return out;
}

static void check_header(const char *value)
{
	struct auth_credentials c;
	const char *why = NULL;
	enum auth_header h = auth_parse_header(value, &c, &why);
	CHECK(h == AUTH_BASIC || h == AUTH_OTHER || h == AUTH_MALFORMED, "%d", (int)h);
	if (h != AUTH_BASIC) {
		CHECK(why != NULL, "refused without a reason");
		return;
	}
	size_t nu = strnlen(c.user, sizeof c.user);
	size_t np = strnlen(c.password, sizeof c.password);
	CHECK(nu >= 1 && nu <= AUTH_USER_MAX && np < sizeof c.password, "%zu %zu", nu, np);
	for (size_t i = 0; i < nu; i++)
		CHECK((unsigned char)c.user[i] >= 0x20 && c.user[i] != 0x7f &&
		      c.user[i] != ':', "user byte 0x%02x", (unsigned char)c.user[i]);
	char joined[AUTH_USER_MAX + 1 + AUTH_CREDENTIALS_MAX];
	memcpy(joined, c.user, nu);
	joined[nu] = ':';
	memcpy(joined + nu + 1, c.password, np);
	char again[AUTH_CREDENTIALS_MAX * 2 + 8];
	size_t n = encode(joined, nu + 1 + np, again);
	const char *encoded = value + 5;
	while (*encoded == ' ')
		encoded++;
	CHECK(n == strlen(encoded) && memcmp(again, encoded, n) == 0,
	      "decoded bytes have another encoding than '%s'", encoded);
}

static bool accepted(const char *hash)
{
	static const char *const schemes[] = { "$y$", "$2b$", "$2y$", "$6$", "$5$" };
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++)
		if (strncmp(hash, schemes[i], strlen(schemes[i])) == 0)
			return true;
	return false;
}

static bool covers(const struct auth_rule *r, const char *path)
{
	return r->prefix_len == 1 ||
		(strncmp(path, r->prefix, r->prefix_len) == 0 &&
		 (path[r->prefix_len] == '\0' || path[r->prefix_len] == '/'));
}

static void check_file(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (text == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	size_t cap = auth_rules_bound(text, size);
	struct auth_rule *rules = malloc(cap * sizeof *rules);
	if (rules == NULL)
		abort();
	unsigned bad = 0;
	const char *why = NULL;
	long n = auth_parse(text, size, rules, cap, &bad, &why);
	if (n < 0)
		CHECK(why != NULL && bad >= 1 && bad <= cap, "line %u of %zu", bad, cap);
	for (long i = 0; i < n; i++) {
		const struct auth_rule *r = &rules[i];
		CHECK(r->prefix[0] == '/' && strlen(r->prefix) == r->prefix_len,
		      "prefix '%s'", r->prefix);
		CHECK(r->prefix_len == 1 || r->prefix[r->prefix_len - 1] != '/',
		      "prefix '%s' ends in '/'", r->prefix);
		CHECK(strstr(r->prefix, "//") == NULL && strstr(r->prefix, "/./") == NULL &&
		      strstr(r->prefix, "/../") == NULL, "prefix '%s' not canonical", r->prefix);
		CHECK(r->user[0] && strchr(r->user, ':') == NULL, "user '%s'", r->user);
		CHECK(accepted(r->hash), "hash '%s'", r->hash);
		/* Its own prefix, and one component below it, are covered by a
		 * rule at least as long, and the one chosen covers them. */
		char below[AUTH_HASH_MAX + 1024];
		if (r->prefix_len + 3 < sizeof below) {
			memcpy(below, r->prefix, r->prefix_len);
			strcpy(below + r->prefix_len, r->prefix_len == 1 ? "x" : "/x");
			const struct auth_rule *m = auth_match(rules, (size_t)n, below);
			CHECK(m != NULL && covers(m, below) && m->prefix_len >= r->prefix_len,
			      "'%s' not protected by '%s'", below, r->prefix);
			for (long k = 0; k < n; k++)
				CHECK(!covers(&rules[k], below) ||
				      rules[k].prefix_len <= m->prefix_len,
				      "a longer prefix '%s' than '%s'", rules[k].prefix, m->prefix);
			CHECK(auth_find_user(rules, (size_t)n, r, r->user) != NULL,
			      "its own user not found");
		}
		char challenge[URL_PATH_MAX * 2 + 64];
		size_t len = auth_challenge(r->prefix, challenge, sizeof challenge);
		if (len != (size_t)-1)
			CHECK(len == strlen(challenge) && strncmp(challenge, "Basic realm=\"", 13) == 0,
			      "challenge '%s'", challenge);
	}
	free(rules);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *value = fuzz_string(data, size);
	check_header(value);
	free(value);
	check_file(data, size);
	return 0;
}
