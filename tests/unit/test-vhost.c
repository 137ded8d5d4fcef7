/* vhost_name against the rules of --vhost, with every input class behind
 * mini_httpd's CVE-2018-18778 (an empty Host read arbitrary files) and
 * bozohttpd's "Host: .." (the parent of the virtual root) first. Inputs
 * end with their NUL as the last byte before an unmapped page. */
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "tap.h"
#include "vhost.h"

#define L63 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define N253 L63 "." L63 "." L63 "." "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const struct {
	const char *host;      /* NULL: no Host */
	const char *name;      /* NULL: the default site */
	const char *why;
} cases[] = {
	/* Hostile: each answers the default site. */
	{ NULL, NULL, "no Host (HTTP/1.0)" },
	{ "", NULL, "empty Host (CVE-2018-18778)" },
	{ ":80", NULL, "only a port" },
	{ ".", NULL, "a lone dot" },
	{ "..", NULL, "Host: .. (bozohttpd)" },
	{ "..:80", NULL, ".. with a port" },
	{ "...", NULL, "three dots" },
	{ "../etc", NULL, ".. and a slash" },
	{ "a/../b", NULL, "slash inside" },
	{ "/", NULL, "a slash" },
	{ "/etc", NULL, "absolute path" },
	{ "a/b", NULL, "slash between names" },
	{ "a%2fb", NULL, "%2f" },
	{ "%2e%2e", NULL, "%2e%2e" },
	{ "a\\b", NULL, "backslash" },
	{ ".hidden", NULL, "leading dot" },
	{ ".example.com", NULL, "leading dot before a name" },
	{ "a..b", NULL, ".. inside" },
	{ "example.com..", NULL, "two trailing dots" },
	{ "[::1]", NULL, "IPv6 literal" },
	{ "[::1]:8080", NULL, "IPv6 literal with a port" },
	{ "[v1.x]", NULL, "IPvFuture literal" },
	{ "a_b.example", NULL, "underscore" },
	{ "a~b", NULL, "tilde" },
	{ "a b", NULL, "space" },
	{ "a\tb", NULL, "tab" },
	{ "a\x01" "b", NULL, "control character" },
	{ "a\x7f", NULL, "DEL" },
	{ "caf\xc3\xa9.example", NULL, "UTF-8 (not IDNA)" },
	{ "a@b", NULL, "userinfo" },
	{ "a*b", NULL, "asterisk" },
	{ "a;b", NULL, "semicolon" },
	{ N253 "a", NULL, "254 bytes" },
	{ N253 "a.", NULL, "254 bytes and a trailing dot" },

	/* Friendly. */
	{ "example.com", "example.com", "a name" },
	{ "EXAMPLE.Com", "example.com", "upper case lowered" },
	{ "example.com:8080", "example.com", "port removed" },
	{ "example.com.", "example.com", "trailing dot removed" },
	{ "Example.COM.:80", "example.com", "all three" },
	{ "localhost", "localhost", "one label" },
	{ "127.0.0.1", "127.0.0.1", "IPv4 address" },
	{ "127.0.0.1:8000", "127.0.0.1", "IPv4 address and port" },
	{ "xn--caf-dma.example", "xn--caf-dma.example", "IDNA A-label" },
	{ "a-b.c-d", "a-b.c-d", "hyphens" },
	{ "default", "default", "the default site by name" },
	{ N253, N253, "253 bytes" },
	{ N253 ".", N253, "253 bytes and a trailing dot" },
};

static void check(size_t i)
{
	struct guarded g = { 0 };
	const char *volatile host = NULL;
	if (cases[i].host)
		host = guard_copy(&g, cases[i].host, strlen(cases[i].host) + 1);
	char name[VHOST_NAME_MAX + 1] = "untouched";
	volatile bool ok = false;
	int sig = sigsetjmp(fault_env, 1);
	if (sig == 0) {
		armed = 1;
		ok = vhost_name(host, name);
		armed = 0;
	}
	bool pass = sig == 0 && (cases[i].name ? ok && strcmp(name, cases[i].name) == 0
					       : !ok && strcmp(name, "untouched") == 0);
	tap_ok(pass, "vhost %s", cases[i].why);
	if (!pass) {
		printf("# host '");
		if (cases[i].host)
			print_escaped(cases[i].host, strlen(cases[i].host));
		printf("': %s '%s'%s\n", ok ? "site" : "default", name,
		       sig ? " (fault)" : "");
	}
	if (cases[i].host)
		guard_free(&g);
}

int main(void)
{
	catch_faults();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check(i);
	return tap_done();
}
