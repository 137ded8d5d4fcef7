/* The --auth file, the prefix rule and the Basic header, case by case:
 * each file text and each header value at the very end of a page, so
 * that reading one byte too far faults. The crypt_r half (authcheck.c) is
 * tested end to end in tests/e2e/test_auth.py, with real hashes. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "guard.h"
#include "tap.h"

#define S(lit) lit, sizeof(lit) - 1
#define Y "$y$j9T$salt$hash"
#define SHA "$6$salt$hash"

static const struct {
	const char *text;
	size_t len;
	long rules;            /* expected rules, or -1 */
	unsigned bad_line;     /* when -1 */
	const char *name;
} file_cases[] = {
	{ S(""), 0, 0, "empty file" },
	{ S("\n\n  \n\t\n"), 0, 0, "blank lines only" },
	{ S("# a comment\n  # indented\n"), 0, 0, "comments only" },
	{ S("/admin alice:" Y "\n"), 1, 0, "one yescrypt line" },
	{ S("/admin alice:" Y), 1, 0, "last line without its LF" },
	{ S("/admin alice:" Y "\r\n"), 1, 0, "CRLF line end" },
	{ S("  /admin\t\talice:" Y "  \n"), 1, 0, "blanks around and between" },
	{ S("/admin alice:$2b$12$abcdefghijklmnopqrstuv\n"), 1, 0, "bcrypt $2b$" },
	{ S("/admin alice:$2y$12$abcdefghijklmnopqrstuv\n"), 1, 0, "bcrypt $2y$" },
	{ S("/admin alice:" SHA "\n"), 1, 0, "sha512-crypt" },
	{ S("/admin alice:$5$salt$hash\n"), 1, 0, "sha256-crypt" },
	{ S("/ alice:" Y "\n/admin bob:" Y "\n/admin carol:" Y "\n"), 3, 0,
	  "three lines, a prefix shared" },
	{ S("/admin/ alice:" Y "\n"), 1, 0, "a trailing slash is cut off" },
	{ S("/caf\xc3\xa9 alice:" Y "\n"), 1, 0, "a UTF-8 prefix" },
	{ S("/admin alice:pa:ss:" Y "\n"), -1, 1,
	  "user split at the first colon: the hash is 'pa:ss:...', refused" },

	/* Refused hashes: the file fails closed. */
	{ S("/admin alice:secret\n"), -1, 1, "plaintext" },
	{ S("/admin alice:abJnggxhB/yWI\n"), -1, 1, "DES" },
	{ S("/admin alice:$1$salt$hash\n"), -1, 1, "MD5 $1$" },
	{ S("/admin alice:$2a$12$abcdefghijklmnopqrstuv\n"), -1, 1, "bcrypt $2a$" },
	{ S("/admin alice:$apr1$salt$hash\n"), -1, 1, "Apache MD5 $apr1$" },
	{ S("/admin alice:$6$\n"), -1, 1, "a scheme and nothing else" },
	{ S("/admin alice:\n"), -1, 1, "empty hash" },
	{ S("/admin alice:{SHA}abc=\n"), -1, 1, "LDAP {SHA}" },

	/* Malformed lines. */
	{ S("# ok\n/admin\n"), -1, 2, "prefix only, line 2" },
	{ S("/admin alice\n"), -1, 1, "no colon" },
	{ S("/admin :" Y "\n"), -1, 1, "empty user" },
	{ S("admin alice:" Y "\n"), -1, 1, "prefix without '/'" },
	{ S("/admin alice:" Y " extra\n"), -1, 1, "a third field" },
	{ S("/a//b alice:" Y "\n"), -1, 1, "empty component" },
	{ S("/a/./b alice:" Y "\n"), -1, 1, "'.' component" },
	{ S("/a/../b alice:" Y "\n"), -1, 1, "'..' component" },
	{ S("/.. alice:" Y "\n"), -1, 1, "'..' alone" },
	{ S("/admin alice:" Y "\n/x\x01y bob:" Y "\n"), -1, 2, "control in line 2" },
	{ S("/admin al\x7f" "ice:" Y "\n"), -1, 1, "DEL in the user" },
	{ S("/admin alice:" Y "\0\n"), -1, 1, "NUL in the line" },
	{ S("/admin\0 alice:" Y "\n"), -1, 1, "NUL in the prefix" },
	{ S("\n\n\n/admin alice:md5\n"), -1, 4, "line number counts blank lines" },
	{ S("/admin alice:$6$" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxx\n"), -1, 1, "hash of 257 bytes, over 255" },
};

static void test_file(size_t i)
{
	size_t len = file_cases[i].len;
	struct guarded g;
	/* auth_parse may write the byte after the text: copy one more. */
	char *text = guard_copy(&g, file_cases[i].text, len + 1);
	struct auth_rule rules[8];
	unsigned bad = 0;
	const char *why = NULL;
	int sig;
	if ((sig = sigsetjmp(fault_env, 1)) != 0) {
		tap_ok(0, "file: %s (signal %d)", file_cases[i].name, sig);
		guard_free(&g);
		return;
	}
	armed = 1;
	size_t cap = auth_rules_bound(text, len);
	long n = auth_parse(text, len, rules, cap < 8 ? cap : 8, &bad, &why);
	armed = 0;
	bool ok = n == file_cases[i].rules &&
		(n >= 0 || (bad == file_cases[i].bad_line && why != NULL));
	if (!tap_ok(ok, "file: %s", file_cases[i].name))
		printf("# got %ld rules, bad line %u (%s)\n", n, bad, why ? why : "-");
	guard_free(&g);
}

static void test_fields(void)
{
	char text[] = " /admin/  alice:" Y "\n/ bob:" SHA "\n";
	struct auth_rule r[4];
	unsigned bad;
	const char *why;
	long n = auth_parse(text, sizeof text - 1, r, 4, &bad, &why);
	tap_ok(n == 2 && strcmp(r[0].prefix, "/admin") == 0 && r[0].prefix_len == 6 &&
	       strcmp(r[0].user, "alice") == 0 && strcmp(r[0].hash, Y) == 0 &&
	       r[0].line == 1 && strcmp(r[1].prefix, "/") == 0 &&
	       strcmp(r[1].hash, SHA) == 0 && r[1].line == 2,
	       "file: fields of each rule, the trailing slash cut, line numbers");
	char many[] = "/a u:" Y "\n/b u:" Y "\n/c u:" Y "\n";
	n = auth_parse(many, sizeof many - 1, r, 2, &bad, &why);
	tap_ok(n == -1 && bad == 3, "file: more rules than room -> refused at the line");
}

static const char match_rules[] =
	"/admin alice:" Y "\n"
	"/admin bob:" Y "\n"
	"/admin/deep carol:" Y "\n"
	"/cgi-bin/admin.sh dave:" Y "\n"
	"/caf\xc3\xa9 erin:" Y "\n";

static const struct {
	const char *path;     /* canonical, as url_join gives it */
	const char *prefix;   /* NULL: not protected */
	const char *name;
} match_cases[] = {
	{ "/admin", "/admin", "the prefix itself" },
	{ "/admin/x", "/admin", "below it" },
	{ "/admin/x/y.txt", "/admin", "deeper" },
	{ "/administrator", NULL, "whole components: /administrator is not /admin" },
	{ "/admin.txt", NULL, "/admin.txt is not /admin" },
	{ "/adm", NULL, "a shorter path" },
	{ "", NULL, "the root" },
	{ "/Admin", NULL, "case matters (file names do)" },
	{ "/admin/deep", "/admin/deep", "the longest prefix wins" },
	{ "/admin/deep/x", "/admin/deep", "the longest prefix wins, below it" },
	{ "/admin/deeper", "/admin", "/admin/deeper is under /admin only" },
	{ "/cgi-bin/admin.sh", "/cgi-bin/admin.sh", "a script" },
	{ "/cgi-bin/admin.sh/path/info", "/cgi-bin/admin.sh", "a script's PATH_INFO" },
	{ "/cgi-bin/admin.shx", NULL, "another script" },
	{ "/cgi-bin", NULL, "the script's directory" },
	{ "/caf\xc3\xa9/menu", "/caf\xc3\xa9", "a UTF-8 prefix" },
};

static void test_match(void)
{
	char text[sizeof match_rules];
	memcpy(text, match_rules, sizeof text);
	struct auth_rule r[8];
	unsigned bad;
	const char *why;
	long n = auth_parse(text, sizeof text - 1, r, 8, &bad, &why);
	tap_ok(n == 5, "match: the rules parse");
	for (size_t i = 0; i < sizeof match_cases / sizeof *match_cases; i++) {
		const struct auth_rule *got = auth_match(r, (size_t)n, match_cases[i].path);
		bool ok = match_cases[i].prefix == NULL ? got == NULL :
			got != NULL && strcmp(got->prefix, match_cases[i].prefix) == 0;
		if (!tap_ok(ok, "match: %s", match_cases[i].name))
			printf("# got %s\n", got ? got->prefix : "(none)");
	}
	const struct auth_rule *admin = auth_match(r, (size_t)n, "/admin/x");
	tap_ok(admin && auth_find_user(r, (size_t)n, admin, "bob") == &r[1] &&
	       auth_find_user(r, (size_t)n, admin, "alice") == &r[0],
	       "users: two share /admin");
	tap_ok(admin && auth_find_user(r, (size_t)n, admin, "carol") == NULL,
	       "users: carol of /admin/deep is not a user of /admin");
	tap_ok(admin && auth_find_user(r, (size_t)n, admin, "Alice") == NULL &&
	       auth_find_user(r, (size_t)n, admin, "alic") == NULL,
	       "users: names match exactly");
	char root[] = "/ root:" Y "\n/admin alice:" Y "\n";
	n = auth_parse(root, sizeof root - 1, r, 8, &bad, &why);
	const struct auth_rule *got = auth_match(r, (size_t)n, "");
	tap_ok(got && strcmp(got->prefix, "/") == 0, "match: '/' covers the root");
	got = auth_match(r, (size_t)n, "/x/y");
	tap_ok(got && strcmp(got->prefix, "/") == 0, "match: '/' covers the site");
	got = auth_match(r, (size_t)n, "/admin/y");
	tap_ok(got && strcmp(got->prefix, "/admin") == 0,
	       "match: /admin is longer than /");
}

static const struct {
	const char *value;
	enum auth_header kind;
	const char *user, *password;
	const char *name;
} header_cases[] = {
	{ "Basic YWxpY2U6cHc=", AUTH_BASIC, "alice", "pw", "alice:pw" },
	{ "basic YWxpY2U6cHc=", AUTH_BASIC, "alice", "pw", "scheme in lower case" },
	{ "BASIC YWxpY2U6cHc=", AUTH_BASIC, "alice", "pw", "scheme in upper case" },
	{ "Basic   YWxpY2U6cHc=", AUTH_BASIC, "alice", "pw", "several spaces" },
	{ "Basic YWxpY2U6cDpx", AUTH_BASIC, "alice", "p:q",
	  "split at the first colon: password 'p:q'" },
	{ "Basic YWxpY2U6", AUTH_BASIC, "alice", "", "empty password" },
	{ "Basic w6lsaXNlOnB3", AUTH_BASIC, "\xc3\xa9lise", "pw", "UTF-8 user" },
	{ "Basic YTpi", AUTH_BASIC, "a", "b", "no padding needed" },
	{ "Basic YTpiYw==", AUTH_BASIC, "a", "bc", "two '='" },
	{ "Basic YTpiY2Q=", AUTH_BASIC, "a", "bcd", "one '='" },
	{ "Basic YTqAgQ==", AUTH_BASIC, "a", "\x80\x81", "bytes above 0x7f in the password" },
	{ "Basic YTpiCWM=", AUTH_BASIC, "a", "b\tc", "a tab in the password" },

	{ "Bearer abc", AUTH_OTHER, NULL, NULL, "Bearer" },
	{ "Digest username=\"a\"", AUTH_OTHER, NULL, NULL, "Digest" },
	{ "Basicx YWxpY2U6cHc=", AUTH_OTHER, NULL, NULL, "Basicx" },
	{ "", AUTH_OTHER, NULL, NULL, "empty value" },
	{ "Basic\tYWxpY2U6cHc=", AUTH_OTHER, NULL, NULL,
	  "a tab after Basic: not RFC 7617's SP" },

	{ "Basic", AUTH_MALFORMED, NULL, NULL, "'Basic' alone" },
	{ "Basic ", AUTH_MALFORMED, NULL, NULL, "'Basic ' and nothing" },
	{ "Basic YWxpY2U6cHc", AUTH_MALFORMED, NULL, NULL, "padding missing" },
	{ "Basic YWxpY2U6cHc==", AUTH_MALFORMED, NULL, NULL, "padding too long" },
	{ "Basic YWxpY2U6cH==", AUTH_MALFORMED, NULL, NULL, "leftover bits set" },
	{ "Basic YWxp=2U6cHc=", AUTH_MALFORMED, NULL, NULL, "'=' in the middle" },
	{ "Basic YWxpY2U6cHc=YTpi", AUTH_MALFORMED, NULL, NULL, "data after padding" },
	{ "Basic YWxpY2U6cHc= x", AUTH_MALFORMED, NULL, NULL, "a second word" },
	{ "Basic !!!!", AUTH_MALFORMED, NULL, NULL, "not base64" },
	{ "Basic YWxp-2U6cHc=", AUTH_MALFORMED, NULL, NULL, "base64url '-'" },
	{ "Basic YWxpY2U=", AUTH_MALFORMED, NULL, NULL, "no colon" },
	{ "Basic OnB3", AUTH_MALFORMED, NULL, NULL, "empty user" },
	{ "Basic YQBiOmM=", AUTH_MALFORMED, NULL, NULL, "NUL in the user" },
	{ "Basic YQpiOmM=", AUTH_MALFORMED, NULL, NULL, "LF in the user" },
	{ "Basic YTpwAHc=", AUTH_MALFORMED, NULL, NULL,
	  "NUL in the password (crypt would stop there)" },
	{ "Basic YX86cHc=", AUTH_MALFORMED, NULL, NULL, "DEL in the user" },
};

static void test_header(size_t i)
{
	const char *value = header_cases[i].value;
	struct guarded g;
	const char *in = guard_copy(&g, value, strlen(value) + 1);
	struct auth_credentials c;
	const char *why = NULL;
	int sig;
	if ((sig = sigsetjmp(fault_env, 1)) != 0) {
		tap_ok(0, "header: %s (signal %d)", header_cases[i].name, sig);
		guard_free(&g);
		return;
	}
	armed = 1;
	enum auth_header kind = auth_parse_header(in, &c, &why);
	armed = 0;
	bool ok = kind == header_cases[i].kind &&
		(kind != AUTH_BASIC || (strcmp(c.user, header_cases[i].user) == 0 &&
					strcmp(c.password, header_cases[i].password) == 0)) &&
		(kind == AUTH_BASIC || why != NULL);
	if (!tap_ok(ok, "header: %s", header_cases[i].name))
		printf("# got kind %d (%s)\n", (int)kind, why ? why : "-");
	guard_free(&g);
}

static void test_bounds(void)
{
	/* base64 of "u:" and 766 'p': 1024 characters, the most taken. */
	char value[8 + AUTH_CREDENTIALS_MAX + 8], raw[AUTH_CREDENTIALS_MAX];
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t raw_len = AUTH_CREDENTIALS_MAX / 4 * 3;
	raw[0] = 'u';
	raw[1] = ':';
	memset(raw + 2, 'p', raw_len - 2);
	strcpy(value, "Basic ");
	size_t o = 6;
	for (size_t i = 0; i < raw_len; i += 3) {
		unsigned v = (unsigned char)raw[i] << 16 |
			(unsigned char)raw[i + 1] << 8 | (unsigned char)raw[i + 2];
		for (int k = 3; k >= 0; k--)
			value[o++] = b64[(v >> (6 * k)) & 63];
	}
	value[o] = '\0';
	struct auth_credentials c;
	const char *why;
	tap_ok(auth_parse_header(value, &c, &why) == AUTH_BASIC &&
	       strlen(c.password) == raw_len - 2,
	       "header: %d characters of base64 are taken", AUTH_CREDENTIALS_MAX);
	strcpy(value + o, "AAAA");
	tap_ok(auth_parse_header(value, &c, &why) == AUTH_MALFORMED,
	       "header: %d characters are too many", AUTH_CREDENTIALS_MAX + 4);
	/* A user of AUTH_USER_MAX bytes is taken, one more is not. */
	char user_value[600];
	for (int extra = 0; extra <= 1; extra++) {
		char plain[AUTH_USER_MAX + 8];
		size_t n = AUTH_USER_MAX + (size_t)extra;
		memset(plain, 'u', n);
		memcpy(plain + n, ":pw", 3);
		n += 3;
		while (n % 3)
			plain[n++] = 'w';
		strcpy(user_value, "Basic ");
		o = 6;
		for (size_t i = 0; i < n; i += 3) {
			unsigned v = (unsigned char)plain[i] << 16 |
				(unsigned char)plain[i + 1] << 8 | (unsigned char)plain[i + 2];
			for (int k = 3; k >= 0; k--)
				user_value[o++] = b64[(v >> (6 * k)) & 63];
		}
		user_value[o] = '\0';
		enum auth_header got = auth_parse_header(user_value, &c, &why);
		tap_ok(extra ? got == AUTH_MALFORMED : got == AUTH_BASIC &&
		       strlen(c.user) == AUTH_USER_MAX,
		       "header: a user of %zu bytes %s", AUTH_USER_MAX + (size_t)extra,
		       extra ? "is refused" : "is taken");
	}
}

static void test_challenge(void)
{
	char out[128];
	size_t n = auth_challenge("/admin", out, sizeof out);
	tap_ok(n == strlen(out) &&
	       strcmp(out, "Basic realm=\"/admin\", charset=\"UTF-8\"") == 0,
	       "challenge: realm is the prefix, charset UTF-8");
	auth_challenge("/a\"b\\c", out, sizeof out);
	tap_ok(strcmp(out, "Basic realm=\"/a\\\"b\\\\c\", charset=\"UTF-8\"") == 0,
	       "challenge: '\"' and '\\' escaped");
	tap_ok(auth_challenge("/admin", out, 20) == (size_t)-1,
	       "challenge: too small a buffer is said");
}

static void test_equal(void)
{
	tap_ok(auth_equal(Y, Y), "equal: the same");
	tap_ok(!auth_equal(Y, Y "x"), "equal: one longer");
	tap_ok(!auth_equal(Y "x", Y), "equal: one shorter");
	tap_ok(!auth_equal("$6$a", "$6$b"), "equal: last byte differs");
	tap_ok(!auth_equal("", "x") && auth_equal("", ""), "equal: empty strings");
}

int main(void)
{
	catch_faults();
	for (size_t i = 0; i < sizeof file_cases / sizeof *file_cases; i++)
		test_file(i);
	test_fields();
	test_match();
	for (size_t i = 0; i < sizeof header_cases / sizeof *header_cases; i++)
		test_header(i);
	test_bounds();
	test_challenge();
	test_equal();
	return tap_done();
}
