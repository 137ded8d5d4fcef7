/* Fuzzes the CGI environment: the input is a request head; when it parses,
 * cgienv_build runs with two fake connections (a TCP peer, and a pipe
 * with nothing known) and a small inherited environment whose hostile
 * entries all carry a control byte, so that any of them leaking through is
 * caught by the "no control byte in a value" invariant. The HTTP_* set is
 * checked against a model of Python's run_cgi, and AUTH_TYPE/REMOTE_USER
 * are never taken from the request (see check_auth); everything
 * is freed, so a leak is a finding too. */
#include <ctype.h>
#include <stdbool.h>
#include <strings.h>

#include "cgienv.h"
#include "fuzz.h"
#include "bounds.h"
#include "request.h"
#include "response.h"
#include "status.h"

static char *inherited[] = {
	"PATH=/usr/local/bin:/usr/bin:/bin",
	"LANG=C.UTF-8",
	"HOME=/nonexistent",
	"TZ=UTC",
	/* Never passed on: each value holds a \001. */
	"HTTP_PROXY=http://evil.example:3128/\001",
	"HTTP_HOST=evil.example\001",
	"LISTEN_FDS=1\001",
	"LISTEN_PID=1\001",
	"TCPREMOTEIP=203.0.113.66\001",
	"TCPLOCALPORT=6666\001",
	"REMOTE_USER=root\001",
	"REMOTE_ADDR=127.0.0.1\001",
	"QUERY_STRING=injected\001",
	"CONTENT_LENGTH=99\001",
	"CONTENT_TYPE=evil/evil\001",
	"SCRIPT_FILENAME=/bin/sh\001",
	"PATH_INFO=/etc/passwd\001",
	"SERVER_SOFTWARE=evil\001",
	"HTTPS=on\001",
	"AUTH_TYPE=evil\001",
	"REQUEST_URI=/evil\001",
	"NOEQUALSSIGN\001",
	NULL,
};
static const char *const kept[][2] = {
	{ "PATH", "/usr/local/bin:/usr/bin:/bin" }, { "LANG", "C.UTF-8" },
	{ "HOME", "/nonexistent" }, { "TZ", "UTC" },
};

static const struct cgi_script script = {
	.script_name = "/cgi-bin/x.cgi",
	.path_info = "/a b/c",
	.path_translated = "/srv/www/a b/c",
	.document_root = "/srv/www",
	.script_filename = "/srv/www/cgi-bin/x.cgi",
};

static const struct connection tcp = {
	.in = 0, .out = 1, .is_socket = true,
	.peer_addr = "192.0.2.1", .peer_port = "40000",
	.local_addr = "198.51.100.7", .local_port = "8080",
};
static const struct connection pipe_conn = { .in = 0, .out = 1 };
static const struct connection tcp6 = {
	.in = 0, .out = 1, .is_socket = true,
	.peer_addr = "2001:db8::1", .peer_port = "5",
	.local_addr = "2001:db8::7", .local_port = "443",
};

static void expect(const struct cgi_env *env, const char *name,
		   const char *value)
{
	const char *v = cgienv_get(env, name);
	CHECK(v != NULL, "%s missing", name);
	CHECK(strcmp(v, value) == 0, "%s='%s', want '%s'", name, v, value);
}

/* Python: "Accept-Encoding" -> "HTTP_ACCEPT_ENCODING"; ours passes only
 * names of letters, digits and '-'. */
static bool header_name(const char *h, char *out, size_t cap)
{
	size_t n = strlen(h);
	if (n + 6 > cap)
		return false;
	memcpy(out, "HTTP_", 5);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];
		if (c == '-')
			out[5 + i] = '_';
		else if (isalnum(c))
			out[5 + i] = (char)toupper(c);
		else
			return false;
	}
	out[5 + n] = '\0';
	return true;
}

/* The HTTP_* variables, from the request alone: one per distinct field
 * name that qualifies, its values joined; no others but Python's empty
 * defaults. */
static void check_http_vars(const struct cgi_env *env, const struct request *rq)
{
	static char name[HEADER_FIELDS_MAX][HEADER_LINE_MAX + 8];
	unsigned expected = 0;
	for (unsigned i = 0; i < rq->n_headers; i++) {
		const char *h = rq->headers[i].name;
		bool first = true;
		for (unsigned j = 0; j < i; j++)
			if (strcasecmp(rq->headers[j].name, h) == 0)
				first = false;
		if (!first || strcasecmp(h, "Content-Type") == 0 ||
		    strcasecmp(h, "Content-Length") == 0 ||
		    strcasecmp(h, "Proxy") == 0 ||
		    !header_name(h, name[expected], sizeof name[expected]))
			continue;
		const char *sep = strcasecmp(h, "Accept") == 0 ? "," :
			strcasecmp(h, "Cookie") == 0 ? "; " : ", ";
		size_t cap = 1;
		for (unsigned j = i; j < rq->n_headers; j++)
			cap += strlen(rq->headers[j].value) + 2;
		char *want = calloc(1, cap);
		for (unsigned j = i; j < rq->n_headers; j++) {
			const struct header *o = &rq->headers[j];
			if (strcasecmp(o->name, h) != 0 || o->value[0] == '\0')
				continue;
			if (want[0])
				strcat(want, sep);
			strcat(want, o->value);
		}
		expect(env, name[expected], want);
		free(want);
		expected++;
	}
	static const char *const defaults[] = {
		"HTTP_ACCEPT=", "HTTP_USER_AGENT=", "HTTP_COOKIE=", "HTTP_REFERER=",
	};
	for (size_t i = 0; i < env->n; i++) {
		const char *v = env->vars[i];
		if (strncmp(v, "HTTP_", 5) != 0)
			continue;
		bool known = false;
		for (unsigned k = 0; k < expected && !known; k++) {
			size_t n = strlen(name[k]);
			known = strncmp(v, name[k], n) == 0 && v[n] == '=';
		}
		for (size_t d = 0; d < sizeof defaults / sizeof *defaults; d++)
			known = known || strcmp(v, defaults[d]) == 0;
		CHECK(known, "'%s' from no request field", v);
	}
	CHECK(cgienv_get(env, "HTTP_PROXY") == NULL, "HTTP_PROXY set (httpoxy)");
}

/* Deliberately not Python's run_cgi: no Authorization header, however
 * well formed, gives AUTH_TYPE or REMOTE_USER; only --auth's verified
 * user does (script.remote_user, NULL here). */
static void check_auth(const struct cgi_env *env, const struct request *rq)
{
	(void)rq;
	CHECK(cgienv_get(env, "AUTH_TYPE") == NULL &&
	      cgienv_get(env, "REMOTE_USER") == NULL,
	      "AUTH_TYPE or REMOTE_USER from a header nobody checked");
}

static void check_env(const struct cgi_env *env, const struct request *rq,
		      const struct connection *conn, bool https)
{
	CHECK(env->vars != NULL && env->vars[env->n] == NULL, "not terminated");
	for (size_t i = 0; i < env->n; i++) {
		const char *v = env->vars[i];
		const char *eq = strchr(v, '=');
		CHECK(eq != NULL && eq > v, "'%s' has no name", v);
		for (const char *p = v; p < eq; p++)
			CHECK((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			      *p == '_', "name '%.*s'", (int)(eq - v), v);
		for (const char *p = eq + 1; *p; p++)
			CHECK(!fuzz_is_ctl((unsigned char)*p) || *p == '\t',
			      "control byte 0x%02x in '%s'", (unsigned char)*p, v);
		size_t n = (size_t)(eq - v) + 1;
		for (size_t j = 0; j < i; j++)
			CHECK(strncmp(env->vars[j], v, n) != 0, "'%.*s' twice",
			      (int)n, v);
	}
	for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
		expect(env, kept[i][0], kept[i][1]);

	expect(env, "SERVER_SOFTWARE", SERVER_SOFTWARE);
	expect(env, "GATEWAY_INTERFACE", "CGI/1.1");
	expect(env, "SERVER_PROTOCOL", rq->version);
	expect(env, "REQUEST_METHOD", rq->method_name);
	expect(env, "PATH_INFO", script.path_info);
	expect(env, "PATH_TRANSLATED", script.path_translated);
	expect(env, "SCRIPT_NAME", script.script_name);
	expect(env, "SCRIPT_FILENAME", script.script_filename);
	expect(env, "DOCUMENT_ROOT", script.document_root);
	expect(env, "QUERY_STRING", rq->query ? rq->query : "");
	expect(env, "REMOTE_ADDR", conn->peer_addr);
	expect(env, "REMOTE_HOST", "");
	if (conn->peer_port[0])
		expect(env, "REMOTE_PORT", conn->peer_port);
	else
		CHECK(cgienv_get(env, "REMOTE_PORT") == NULL, "REMOTE_PORT");
	if (https)
		expect(env, "HTTPS", "on");
	else
		CHECK(cgienv_get(env, "HTTPS") == NULL, "HTTPS");

	char *uri = malloc(strlen(rq->path) + (rq->query ? strlen(rq->query) : 0) + 2);
	strcpy(uri, rq->path);
	if (rq->query) {
		strcat(uri, "?");
		strcat(uri, rq->query);
	}
	expect(env, "REQUEST_URI", uri);
	free(uri);

	const char *type = request_header(rq, "Content-Type");
	expect(env, "CONTENT_TYPE", type ? type : "text/plain");
	/* The canonical number, whatever leading zeros were sent. */
	char length[24] = "";
	if (rq->content_length >= 0)
		snprintf(length, sizeof length, "%lld", rq->content_length);
	expect(env, "CONTENT_LENGTH", length);
	const char *cl = cgienv_get(env, "CONTENT_LENGTH");
	CHECK(strspn(cl, "0123456789") == strlen(cl), "CONTENT_LENGTH '%s'", cl);

	const char *name = cgienv_get(env, "SERVER_NAME");
	CHECK(name != NULL && (name[0] != '\0' || (rq->host && rq->host[0] == ':')),
	      "SERVER_NAME '%s'", name ? name : "(none)");
	CHECK(strpbrk(name, "/?#@ ") == NULL, "SERVER_NAME '%s'", name);
	if (rq->host == NULL || rq->host[0] == '\0') {
		/* RFC 3875 4.1.14: the address we were reached on, an IPv6
		 * one in brackets. */
		const char *a = conn->local_addr[0] ? conn->local_addr : "localhost";
		if (strchr(a, ':'))
			CHECK(name[0] == '[' && strlen(name) == strlen(a) + 2 &&
			      strncmp(name + 1, a, strlen(a)) == 0 &&
			      name[strlen(a) + 1] == ']', "SERVER_NAME '%s'", name);
		else
			CHECK(strcmp(name, a) == 0, "SERVER_NAME '%s'", name);
	}
	const char *port = cgienv_get(env, "SERVER_PORT");
	CHECK(port != NULL, "no SERVER_PORT");
	if (conn->local_port[0])
		CHECK(strcmp(port, conn->local_port) == 0, "SERVER_PORT '%s'", port);
	CHECK(port[0] != '\0' && strspn(port, "0123456789") == strlen(port),
	      "SERVER_PORT '%s' from Host '%s'", port, rq->host ? rq->host : "");

	check_http_vars(env, rq);
	check_auth(env, rq);
}

/* Python's ISINDEX argv[1], with our refusals. */
static void check_argument(const char *query)
{
	char big[REQUEST_LINE_MAX + 1], small[4];
	const char *a = cgienv_argument(query, big, sizeof big);
	if (a != NULL) {
		CHECK(query && *query && !strchr(query, '=') && a[0] != '-',
		      "argument '%s' from '%s'", a, query);
		CHECK(strlen(a) == strlen(query) && !strchr(a, '+'), "'+' kept");
	} else if (query && *query && !strchr(query, '=') && query[0] != '-') {
		CHECK(0, "no argument for '%s'", query);
	}
	a = cgienv_argument(query, small, sizeof small);
	CHECK(a == NULL || strlen(a) < sizeof small, "argument overflows");
}

static void build(const struct request *rq, const struct connection *conn,
		  bool https)
{
	struct cgi_env env;
	int status = cgienv_build(&env, inherited, rq, &script, conn, https);
	CHECK(!env.oom, "out of memory");
	/* What execve(2) takes: each NAME=value and its NUL within
	 * CGI_VARIABLE_MAX, all of them with their pointers within
	 * CGI_ENVIRONMENT_MAX, else 431. */
	size_t total = 0;
	bool too_long = false;
	for (size_t i = 0; i < env.n; i++) {
		size_t n = strlen(env.vars[i]) + 1;
		too_long = too_long || n > CGI_VARIABLE_MAX;
		total += n + sizeof(char *);
	}
	bool fits = !too_long && total <= CGI_ENVIRONMENT_MAX;
	CHECK(status == (fits ? 0 : STATUS_HEADERS_TOO_LARGE),
	      "cgienv_build: %d for %zu bytes", status, total);
	if (fits) {
		check_env(&env, rq, conn, https);
		size_t room = CGI_ENVIRONMENT_MAX - total;
		CHECK(cgienv_fits(&env, room) == 0, "room %zu", room);
		CHECK(cgienv_fits(&env, room + 1) == STATUS_HEADERS_TOO_LARGE,
		      "room %zu + 1", room);
	}
	cgienv_free(&env);
	CHECK(env.vars == NULL && env.n == 0, "not freed");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > HEAD_MAX)
		return 0;
	struct head_scan hs = { 0 };
	if (head_scan(&hs, (const char *)data, size) != 0 || hs.end == 0)
		return 0;
	char *head = fuzz_copy(data, hs.end);
	struct request *rq = malloc(sizeof *rq);
	const char *why;
	if (request_parse(head, hs.end, rq, &why) == 0) {
		build(rq, &tcp, false);
		build(rq, &pipe_conn, true);
		build(rq, &tcp6, true);
		check_argument(rq->query);
	}
	free(rq);
	free(head);
	return 0;
}
