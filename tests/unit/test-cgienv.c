/* cgienv_build against its contract, case by case: a request head, the
 * inherited environment and the connection in; the exact environment out
 * (every variable, compared as a sorted set), so that a variable added,
 * lost or changed fails its case. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgienv.h"
#include "config-build.h"
#include "conn.h"
#include "request.h"
#include "status.h"
#include "tap.h"

/* What every case gets unless it says otherwise: Python's and RFC 3875's
 * variables for "GET /cgi-bin/x.sh HTTP/1.1" with "Host: h" from
 * 192.0.2.7:5000 to 198.51.100.1:80. */
#define BASE \
	"CONTENT_TYPE=text/plain\n" \
	"DOCUMENT_ROOT=/srv/www\n" \
	"GATEWAY_INTERFACE=CGI/1.1\n" \
	"PATH_INFO=\n" \
	"PATH_TRANSLATED=/srv/www\n" \
	"REMOTE_ADDR=192.0.2.7\n" \
	"REMOTE_HOST=\n" \
	"REMOTE_PORT=5000\n" \
	"SCRIPT_FILENAME=/srv/www/cgi-bin/x.sh\n" \
	"SCRIPT_NAME=/cgi-bin/x.sh\n" \
	"SERVER_PORT=80\n" \
	"SERVER_SOFTWARE=" SERVER_SOFTWARE_TEXT "\n" \
	"HTTP_ACCEPT=\n" \
	"HTTP_USER_AGENT=\n" \
	"HTTP_COOKIE=\n" \
	"HTTP_REFERER=\n" \
	"CONTENT_LENGTH=\n"

#define SERVER_SOFTWARE_TEXT "cgihandlerd/" PACKAGE_VERSION

static const struct {
	const char *head;
	const char *inherited;   /* "\n"-separated, or "" */
	const char *home;
	bool https;
	const char *expected;    /* "\n"-separated, order free */
	const char *name;
} cases[] = {
	{ "GET /cgi-bin/x.sh HTTP/1.1\r\nHost: h\r\n\r\n", "", NULL, false,
	  BASE "SERVER_NAME=h\nSERVER_PROTOCOL=HTTP/1.1\nREQUEST_METHOD=GET\n"
	  "QUERY_STRING=\nREQUEST_URI=/cgi-bin/x.sh\nHTTP_HOST=h\n",
	  "a plain GET" },
	{ "GET /cgi-bin/x.sh?a=1&b HTTP/1.1\r\nHost: h:8080\r\n\r\n", "", NULL,
	  false,
	  BASE "SERVER_NAME=h\nSERVER_PROTOCOL=HTTP/1.1\nREQUEST_METHOD=GET\n"
	  "QUERY_STRING=a=1&b\nREQUEST_URI=/cgi-bin/x.sh?a=1&b\nHTTP_HOST=h:8080\n",
	  "query and a Host with a port (SERVER_PORT is the socket's)" },
	{ "GET /cgi-bin/x.sh HTTP/1.1\r\nHost: [2001:db8::1]:81\r\n\r\n", "",
	  NULL, false,
	  BASE "SERVER_NAME=[2001:db8::1]\nSERVER_PROTOCOL=HTTP/1.1\n"
	  "REQUEST_METHOD=GET\nQUERY_STRING=\nREQUEST_URI=/cgi-bin/x.sh\n"
	  "HTTP_HOST=[2001:db8::1]:81\n",
	  "an IPv6 Host keeps its brackets, loses its port" },
	{ "GET /cgi-bin/x.sh HTTP/1.0\r\n\r\n", "", NULL, false,
	  BASE "SERVER_NAME=198.51.100.1\nSERVER_PROTOCOL=HTTP/1.0\n"
	  "REQUEST_METHOD=GET\nQUERY_STRING=\nREQUEST_URI=/cgi-bin/x.sh\n",
	  "no Host: SERVER_NAME is the local address" },
	{ "POST /cgi-bin/x.sh HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
	  "Content-Type: application/x-www-form-urlencoded\r\n\r\n", "", NULL, false,
	  "DOCUMENT_ROOT=/srv/www\nGATEWAY_INTERFACE=CGI/1.1\nPATH_INFO=\n"
	  "PATH_TRANSLATED=/srv/www\nREMOTE_ADDR=192.0.2.7\nREMOTE_HOST=\n"
	  "REMOTE_PORT=5000\nSCRIPT_FILENAME=/srv/www/cgi-bin/x.sh\n"
	  "SCRIPT_NAME=/cgi-bin/x.sh\nSERVER_PORT=80\n"
	  "SERVER_SOFTWARE=" SERVER_SOFTWARE_TEXT "\nHTTP_ACCEPT=\n"
	  "HTTP_USER_AGENT=\nHTTP_COOKIE=\nHTTP_REFERER=\n"
	  "SERVER_NAME=h\nSERVER_PROTOCOL=HTTP/1.1\nREQUEST_METHOD=POST\n"
	  "QUERY_STRING=\nREQUEST_URI=/cgi-bin/x.sh\nHTTP_HOST=h\n"
	  "CONTENT_LENGTH=3\nCONTENT_TYPE=application/x-www-form-urlencoded\n",
	  "POST: CONTENT_* and no HTTP_CONTENT_*" },
	{ "GET /cgi-bin/x.sh HTTP/1.1\r\nHost: h\r\nProxy: http://evil/\r\n"
	  "X_Forwarded_For: 1.2.3.4\r\nAccept: a\r\nAccept: b\r\n"
	  "X-Multi: 1\r\nX-Multi: 2\r\n\r\n", "", NULL, false,
	  "CONTENT_TYPE=text/plain\nDOCUMENT_ROOT=/srv/www\n"
	  "GATEWAY_INTERFACE=CGI/1.1\nPATH_INFO=\nPATH_TRANSLATED=/srv/www\n"
	  "REMOTE_ADDR=192.0.2.7\nREMOTE_HOST=\nREMOTE_PORT=5000\n"
	  "SCRIPT_FILENAME=/srv/www/cgi-bin/x.sh\nSCRIPT_NAME=/cgi-bin/x.sh\n"
	  "SERVER_PORT=80\nSERVER_SOFTWARE=" SERVER_SOFTWARE_TEXT "\n"
	  "HTTP_USER_AGENT=\nHTTP_COOKIE=\nHTTP_REFERER=\nCONTENT_LENGTH=\n"
	  "SERVER_NAME=h\nSERVER_PROTOCOL=HTTP/1.1\nREQUEST_METHOD=GET\n"
	  "QUERY_STRING=\nREQUEST_URI=/cgi-bin/x.sh\nHTTP_HOST=h\n"
	  "HTTP_ACCEPT=a,b\nHTTP_X_MULTI=1, 2\n",
	  "no HTTP_PROXY (httpoxy), no '_' names, repeats joined" },
	{ "GET /cgi-bin/x.sh HTTP/1.1\r\nHost: h\r\n\r\n",
	  "PATH=/usr/bin\nHTTP_PROXY=http://evil/\nLISTEN_FDS=1\nTCPREMOTEIP=1.1.1.1\n"
	  "PROTO=TCP\nPROTOCOL=kept\nREMOTE_USER=forged\nHTTPS=on\nHOME=/root\n"
	  "NOEQUALS",
	  "/nonexistent", false,
	  BASE "SERVER_NAME=h\nSERVER_PROTOCOL=HTTP/1.1\nREQUEST_METHOD=GET\n"
	  "QUERY_STRING=\nREQUEST_URI=/cgi-bin/x.sh\nHTTP_HOST=h\n"
	  "PATH=/usr/bin\nPROTOCOL=kept\nHOME=/nonexistent\n",
	  "inherited: misleading names dropped, HOME the script user's" },
	{ "GET /cgi-bin/x.sh HTTP/1.1\r\nHost: h\r\n\r\n", "HOME=/home/op",
	  NULL, true,
	  "CONTENT_TYPE=text/plain\nDOCUMENT_ROOT=/srv/www\n"
	  "GATEWAY_INTERFACE=CGI/1.1\nPATH_INFO=\nPATH_TRANSLATED=/srv/www\n"
	  "REMOTE_ADDR=192.0.2.7\nREMOTE_HOST=\nREMOTE_PORT=5000\n"
	  "SCRIPT_FILENAME=/srv/www/cgi-bin/x.sh\nSCRIPT_NAME=/cgi-bin/x.sh\n"
	  "SERVER_PORT=80\nSERVER_SOFTWARE=" SERVER_SOFTWARE_TEXT "\n"
	  "HTTP_ACCEPT=\nHTTP_USER_AGENT=\nHTTP_COOKIE=\nHTTP_REFERER=\n"
	  "CONTENT_LENGTH=\nSERVER_NAME=h\nSERVER_PROTOCOL=HTTP/1.1\n"
	  "REQUEST_METHOD=GET\nQUERY_STRING=\nREQUEST_URI=/cgi-bin/x.sh\n"
	  "HTTP_HOST=h\nHTTPS=on\nHOME=/home/op\n",
	  "HTTPS=on, and the inherited HOME kept when nothing was dropped" },
	{ "GET /cgi-bin/x.sh HTTP/1.1\r\nHost: h\r\n"
	  "Authorization: Basic dXNlcjpwYXNz\r\n\r\n", "", NULL, false,
	  BASE "SERVER_NAME=h\nSERVER_PROTOCOL=HTTP/1.1\nREQUEST_METHOD=GET\n"
	  "QUERY_STRING=\nREQUEST_URI=/cgi-bin/x.sh\nHTTP_HOST=h\n"
	  "HTTP_AUTHORIZATION=Basic dXNlcjpwYXNz\n",
	  "Basic credentials nobody checked: no AUTH_TYPE, no REMOTE_USER "
	  "(Python sets both)" },
	{ "POST /cgi-bin/x.sh HTTP/1.1\r\nHost: h\r\nContent-Length: 010\r\n"
	  "Cookie: a=1\r\nCookie: b=2\r\n\r\n", "", NULL, false,
	  "CONTENT_TYPE=text/plain\nDOCUMENT_ROOT=/srv/www\n"
	  "GATEWAY_INTERFACE=CGI/1.1\nPATH_INFO=\nPATH_TRANSLATED=/srv/www\n"
	  "REMOTE_ADDR=192.0.2.7\nREMOTE_HOST=\nREMOTE_PORT=5000\n"
	  "SCRIPT_FILENAME=/srv/www/cgi-bin/x.sh\nSCRIPT_NAME=/cgi-bin/x.sh\n"
	  "SERVER_PORT=80\nSERVER_SOFTWARE=" SERVER_SOFTWARE_TEXT "\n"
	  "HTTP_ACCEPT=\nHTTP_USER_AGENT=\nHTTP_REFERER=\n"
	  "SERVER_NAME=h\nSERVER_PROTOCOL=HTTP/1.1\nREQUEST_METHOD=POST\n"
	  "QUERY_STRING=\nREQUEST_URI=/cgi-bin/x.sh\nHTTP_HOST=h\n"
	  "CONTENT_LENGTH=10\nHTTP_COOKIE=a=1; b=2\n",
	  "CONTENT_LENGTH canonical (010 is 10), Cookies joined with '; '" },
	{ "GET /cgi-bin/x.sh HTTP/1.1\r\nHost: h\r\n"
	  "Authorization: Basic !!!!\r\n\r\n", "", NULL, false,
	  BASE "SERVER_NAME=h\nSERVER_PROTOCOL=HTTP/1.1\nREQUEST_METHOD=GET\n"
	  "QUERY_STRING=\nREQUEST_URI=/cgi-bin/x.sh\nHTTP_HOST=h\n"
	  "HTTP_AUTHORIZATION=Basic !!!!\n",
	  "undecodable Basic credentials: no AUTH_TYPE, no REMOTE_USER" },
};

/* "a\nb" into a NULL-terminated array of its lines (the strings are in
 * buf, which is written into). */
static size_t split_lines(char *buf, char **out, size_t cap)
{
	size_t n = 0;
	for (char *line = strtok(buf, "\n"); line && n + 1 < cap;
	     line = strtok(NULL, "\n"))
		out[n++] = line;
	out[n] = NULL;
	return n;
}

static int compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check(size_t i)
{
	char head[2048], inherited[1024], expected[4096];
	char *inherited_v[64], *expected_v[128], *got_v[128];
	struct request rq;
	const char *why = NULL;
	snprintf(head, sizeof head, "%s", cases[i].head);
	if (request_parse(head, strlen(head), &rq, &why) != 0) {
		tap_ok(0, "cgienv: %s: the request does not parse (%s)",
		       cases[i].name, why);
		return;
	}
	snprintf(inherited, sizeof inherited, "%s", cases[i].inherited);
	snprintf(expected, sizeof expected, "%s", cases[i].expected);
	split_lines(inherited, inherited_v, 64);
	size_t n_expected = split_lines(expected, expected_v, 128);
	struct connection conn = {
		.in = 0, .out = 1, .is_socket = true,
		.peer_addr = "192.0.2.7", .peer_port = "5000",
		.local_addr = "198.51.100.1", .local_port = "80",
	};
	struct cgi_script script = {
		.script_name = "/cgi-bin/x.sh",
		.path_info = "",
		.path_translated = "/srv/www",
		.document_root = "/srv/www",
		.script_filename = "/srv/www/cgi-bin/x.sh",
		.home = cases[i].home,
	};
	struct cgi_env env;
	int status = cgienv_build(&env, inherited_v, &rq, &script, &conn,
				  cases[i].https);
	size_t n_got = 0;
	for (; status == 0 && n_got < env.n && n_got + 1 < 128; n_got++)
		got_v[n_got] = env.vars[n_got];
	qsort(expected_v, n_expected, sizeof *expected_v, compare);
	qsort(got_v, n_got, sizeof *got_v, compare);
	bool ok = status == 0 && n_got == env.n && n_got == n_expected;
	for (size_t k = 0; ok && k < n_got; k++)
		ok = strcmp(got_v[k], expected_v[k]) == 0;
	if (!tap_ok(ok, "cgienv: %s", cases[i].name)) {
		printf("# status %d; got %zu variables, expected %zu\n", status,
		       n_got, n_expected);
		for (size_t a = 0, b = 0; a < n_got || b < n_expected;) {
			int c = a == n_got ? 1 : b == n_expected ? -1 :
				strcmp(got_v[a], expected_v[b]);
			if (c < 0)
				printf("#   unexpected: %s\n", got_v[a++]);
			else if (c > 0)
				printf("#   missing:    %s\n", expected_v[b++]);
			else
				a++, b++;
		}
	}
	cgienv_free(&env);
}

/* How many times NAME= is in env, and the value of the last one. */
static size_t count_var(const struct cgi_env *env, const char *name,
			const char **value)
{
	size_t n = 0, len = strlen(name);
	*value = NULL;
	for (size_t i = 0; i < env->n; i++)
		if (strncmp(env->vars[i], name, len) == 0 && env->vars[i][len] == '=') {
			n++;
			*value = env->vars[i] + len + 1;
		}
	return n;
}

/* A user --auth verified: AUTH_TYPE=Basic, REMOTE_USER, and the
 * password's header withheld; other headers pass as ever. */
static void check_remote_user(void)
{
	char head[] = "GET /cgi-bin/x.sh HTTP/1.1\r\nHost: h\r\n"
		"Authorization: Basic YWxpY2U6cHc=\r\nX-Other: kept\r\n\r\n";
	char a[] = "REMOTE_USER=forged", b[] = "AUTH_TYPE=Evil";
	char *inherited[] = { a, b, NULL };
	struct request rq;
	const char *why = NULL;
	request_parse(head, strlen(head), &rq, &why);
	struct connection conn = {
		.in = 0, .out = 1, .is_socket = true,
		.peer_addr = "192.0.2.7", .peer_port = "5000",
		.local_addr = "198.51.100.1", .local_port = "443",
	};
	struct cgi_script script = {
		.script_name = "/cgi-bin/x.sh", .path_info = "",
		.path_translated = "/srv/www", .document_root = "/srv/www",
		.script_filename = "/srv/www/cgi-bin/x.sh",
		.remote_user = "alice",
	};
	struct cgi_env env;
	int status = cgienv_build(&env, inherited, &rq, &script, &conn, true);
	const char *user, *type, *auth, *other;
	size_t nu = count_var(&env, "REMOTE_USER", &user);
	size_t nt = count_var(&env, "AUTH_TYPE", &type);
	size_t na = count_var(&env, "HTTP_AUTHORIZATION", &auth);
	size_t no = count_var(&env, "HTTP_X_OTHER", &other);
	tap_ok(status == 0 && nu == 1 && strcmp(user, "alice") == 0 && nt == 1 &&
	       strcmp(type, "Basic") == 0 && na == 0 && no == 1,
	       "cgienv: a verified user: AUTH_TYPE=Basic, REMOTE_USER, no "
	       "HTTP_AUTHORIZATION, inherited ones dropped");
	cgienv_free(&env);
}

/* A PROXY header's SSL TLV (connection.proxy_tls): HTTPS=on and its TLS
 * facts for this request, replacing what a front end left inherited. */
static void check_proxy_tls(bool tls)
{
	char head[] = "GET /cgi-bin/x.sh HTTP/1.1\r\nHost: h\r\n\r\n";
	char a[] = "SSL_PROTOCOL=SSLv3", b[] = "SSL_CIPHER=RC4", c[] = "SSL_TLS_SNI=old";
	char *inherited[] = { a, b, c, NULL };
	struct request rq;
	const char *why = NULL;
	request_parse(head, strlen(head), &rq, &why);
	struct connection conn = {
		.in = 0, .out = 1, .is_socket = true,
		.peer_addr = "192.0.2.7", .peer_port = "5000",
		.local_addr = "198.51.100.1", .local_port = "443",
		.proxy_len = 28, .proxy_tls = tls,
		.ssl_protocol = "TLSv1.3", .ssl_cipher = "TLS_AES_128_GCM_SHA256",
		.tls_sni = "www.example.org",
	};
	struct cgi_script script = {
		.script_name = "/cgi-bin/x.sh", .path_info = "",
		.path_translated = "/srv/www", .document_root = "/srv/www",
		.script_filename = "/srv/www/cgi-bin/x.sh",
	};
	struct cgi_env env;
	int status = cgienv_build(&env, inherited, &rq, &script, &conn, false);
	const char *https, *proto, *cipher, *sni;
	size_t nh = count_var(&env, "HTTPS", &https);
	size_t np = count_var(&env, "SSL_PROTOCOL", &proto);
	size_t nc = count_var(&env, "SSL_CIPHER", &cipher);
	size_t ns = count_var(&env, "SSL_TLS_SNI", &sni);
	if (tls)
		tap_ok(status == 0 && nh == 1 && strcmp(https, "on") == 0 && np == 1 &&
		       strcmp(proto, "TLSv1.3") == 0 && nc == 1 &&
		       strcmp(cipher, "TLS_AES_128_GCM_SHA256") == 0 && ns == 1 &&
		       strcmp(sni, "www.example.org") == 0,
		       "cgienv: PROXY SSL TLV: HTTPS=on, its SSL_* replace the inherited");
	else
		tap_ok(status == 0 && nh == 0 && np == 1 && strcmp(proto, "SSLv3") == 0 &&
		       nc == 1 && ns == 1,
		       "cgienv: no PROXY SSL TLV: no HTTPS, the inherited SSL_* kept");
	cgienv_free(&env);
}

/* head parsed and its environment built (a TCP connection on port 80,
 * /cgi-bin/x.sh below /srv/www): cgienv_build's status, or -1 when the
 * head does not parse. env is to be freed either way. */
static int build_from(char *head, char *const *inherited, const char *home,
		      struct request *rq, struct cgi_env *env)
{
	const char *why = NULL;
	cgienv_init(env);
	if (request_parse(head, strlen(head), rq, &why) != 0)
		return -1;
	struct connection conn = {
		.in = 0, .out = 1, .is_socket = true,
		.peer_addr = "192.0.2.7", .peer_port = "5000",
		.local_addr = "198.51.100.1", .local_port = "80",
	};
	struct cgi_script script = {
		.script_name = "/cgi-bin/x.sh", .path_info = "",
		.path_translated = "/srv/www", .document_root = "/srv/www",
		.script_filename = "/srv/www/cgi-bin/x.sh", .home = home,
	};
	return cgienv_build(env, inherited, rq, &script, &conn, false);
}

/* Far past what the struct holds itself (CGI_ENV_FIRST_VARS pointers,
 * CGI_ENV_FIRST_BYTES of text): 300 inherited variables, three larger
 * than a block, 90 headers with a large one and some not passed (their
 * room given back), and a 10 KiB ISINDEX argument. Every variable as
 * given, in order, each counted once as execve(2) counts it. */
static void check_past_the_first_room(void)
{
	static char vars[300][12000];
	char *inherited[301];
	for (int i = 0; i < 300; i++) {
		int n = snprintf(vars[i], sizeof vars[i], "VAR%03d=", i);
		size_t len = i % 100 == 7 ? 10000 : (size_t)(i % 37) * 3;
		memset(vars[i] + n, 'a' + i % 26, len);
		vars[i][n + len] = '\0';
		inherited[i] = vars[i];
	}
	inherited[300] = NULL;
	static char head[32768];
	size_t at = (size_t)snprintf(head, sizeof head, "GET /cgi-bin/x.sh HTTP/1.1\r\n"
				     "Host: h\r\n");
	for (int i = 0; i < 90; i++) {
		at += (size_t)snprintf(head + at, sizeof head - at, "X%s%d: ",
				       i % 10 == 3 ? "_Under" : "-Header", i);
		size_t len = i == 50 ? 9000 : 20;   /* each value "vvv..." */
		memset(head + at, 'v', len);
		at += len;
		memcpy(head + at, "\r\n", 2);
		at += 2;
	}
	memcpy(head + at, "\r\n", 3);
	struct request rq;
	struct cgi_env env;
	bool ok = build_from(head, inherited, NULL, &rq, &env) == 0 && env.n > 380;
	size_t next = 0, headers = 0, bytes = 0;
	for (size_t i = 0; ok && i < env.n; i++) {
		bytes += strlen(env.vars[i]) + 1 + sizeof(char *);
		if (next < 300 && strcmp(env.vars[i], vars[next]) == 0)
			next++;
		if (strncmp(env.vars[i], "HTTP_X_HEADER", 13) == 0) {
			const char *v = strchr(env.vars[i], '=') + 1;
			ok = strspn(v, "v") == strlen(v) && strlen(v) ==
				(strncmp(env.vars[i] + 13, "50=", 3) == 0 ? 9000u : 20u);
			headers++;
		}
		ok = ok && strncmp(env.vars[i], "HTTP_X_UNDER", 12) != 0;
	}
	ok = ok && next == 300 && headers == 81 && env.vars[env.n] == NULL &&
		cgienv_fits(&env, CGI_ENVIRONMENT_MAX - bytes) == 0 &&
		cgienv_fits(&env, CGI_ENVIRONMENT_MAX - bytes + 1) != 0;
	tap_ok(ok, "cgienv: 300 inherited variables (3 of 10 KB), 81 headers passed "
	       "(one of 9 KB) and 9 not: all in order, counted as execve counts them");
	static char query[10001], expected[10001];
	memset(query, 'q', 10000);
	query[3] = '+';
	char *argument = cgienv_add_argument(&env, query);
	char *alone = cgienv_argument(query, expected, sizeof expected);
	tap_ok(argument != NULL && alone != NULL && strcmp(argument, alone) == 0 &&
	       cgienv_add_argument(&env, "a=b") == NULL &&
	       cgienv_add_argument(&env, NULL) == NULL && !env.oom,
	       "cgienv_add_argument: a 10 KB argument kept with the environment, "
	       "none for a=b or no query");
	cgienv_free(&env);
	tap_ok(env.vars == NULL && env.n == 0 && env.bytes == 0,
	       "cgienv_free: the environment empty again");
}

/* What a browser sends behind tcpserver stays in the struct (no block,
 * no array malloc'ed), even with 4.5 KB of headers that are not passed:
 * the room taken for each is given back. */
static void check_usual_fits_inline(void)
{
	char e1[] = "PATH=/usr/local/bin:/usr/bin:/bin", e2[] = "PROTO=TCP",
	     e3[] = "TCPLOCALIP=198.51.100.1", e4[] = "TCPLOCALPORT=80",
	     e5[] = "TCPREMOTEIP=192.0.2.7", e6[] = "TCPREMOTEPORT=5000",
	     e7[] = "LANG=C.UTF-8", e8[] = "HOME=/";
	char *inherited[] = { e1, e2, e3, e4, e5, e6, e7, e8, NULL };
	static char head[16384];
	size_t at = (size_t)snprintf(head, sizeof head,
		"GET /cgi-bin/x.sh?q=1 HTTP/1.1\r\nHost: www.example.org\r\n"
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
		"(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r\n"
		"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,"
		"image/avif,image/webp,*/*;q=0.8\r\nAccept-Language: en-GB,en;q=0.9\r\n"
		"Accept-Encoding: gzip, deflate, br\r\nReferer: https://www.example.org/\r\n"
		"Connection: keep-alive\r\nUpgrade-Insecure-Requests: 1\r\nCookie: ");
	memset(head + at, 'c', 600);   /* a session cookie */
	at += 600;
	for (int i = 0; i < 9; i++) {
		at += (size_t)snprintf(head + at, sizeof head - at, "\r\nX_Not_Passed%d: ", i);
		memset(head + at, 'n', 500);
		at += 500;
	}
	memcpy(head + at, "\r\n\r\n", 5);
	struct request rq;
	struct cgi_env env;
	const char *cookie;
	tap_ok(build_from(head, inherited, "/nonexistent", &rq, &env) == 0 && count_var(&env, "HTTP_COOKIE", &cookie) == 1 &&
	       strlen(cookie) == 600 && count_var(&env, "HTTP_X_NOT_PASSED0", &cookie) == 0 &&
	       env.blocks == NULL && env.vars == env.first_vars,
	       "cgienv: a browser's request behind tcpserver stays in the struct, "
	       "4.5 KB of headers not passed given back (%zu variables)", env.n);
	cgienv_free(&env);
}

int main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		check(i);
	check_usual_fits_inline();
	check_past_the_first_room();
	check_proxy_tls(true);
	check_remote_user();
	check_proxy_tls(false);
	return tap_done();
}
