#include "cgienv.h"

#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "bounds.h"
#include "config-build.h"
#include "environ.h"
#include "response.h"
#include "status.h"
#include "text.h"

/* Set by us, so never taken from the inherited environment. */
static const char *const meta_variables[] = {
	"AUTH_TYPE", "CONTENT_LENGTH", "CONTENT_TYPE", "DOCUMENT_ROOT",
	"GATEWAY_INTERFACE", "HTTPS", "PATH_INFO", "PATH_TRANSLATED",
	"QUERY_STRING", "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_IDENT",
	"REMOTE_PORT", "REMOTE_USER", "REQUEST_METHOD", "REQUEST_URI",
	"SCRIPT_FILENAME", "SCRIPT_NAME", "SERVER_NAME", "SERVER_PORT",
	"SERVER_PROTOCOL", "SERVER_SOFTWARE",
};

/* Inherited names that would mislead a script: a request header it did
 * not send (HTTP_*), and the superservers' own protocol (systemd's
 * LISTEN_*, ucspi's TCP* and PROTO), which the meta-variables say
 * better. "PROTO=" matches that one name exactly. */
static const char *const dropped_prefixes[] = {
	"HTTP_", "LISTEN_", "TCP", "PROTO=",
};

/* Request headers that are not HTTP_* variables: given as CONTENT_*, or
 * (Proxy) never given at all, since HTTP_PROXY is a proxy setting to
 * most HTTP libraries (httpoxy, CVE-2016-5385). */
static const char *const headers_not_passed[] = {
	"Content-Type", "Content-Length", "Proxy",
};

/* The variables' bytes past first_bytes, taken one after another from
 * blocks that are freed together: fifty strings cost a malloc or two at
 * most, not fifty. */
struct cgi_env_block {
	struct cgi_env_block *next;
	char bytes[];
};

#define ENV_BLOCK_BYTES 4096

void cgienv_init(struct cgi_env *env)
{
	env->vars = NULL;
	env->n = env->cap = 0;
	env->bytes = env->longest = 0;
	env->oom = false;
	env->room = env->first_bytes;
	env->room_left = sizeof env->first_bytes;
	env->blocks = NULL;
}

/* n bytes of room, or NULL (and env->oom) when out of memory. */
static char *env_take(struct cgi_env *env, size_t n)
{
	if (env->oom)
		return NULL;
	if (env->room_left < n) {
		size_t cap = n > ENV_BLOCK_BYTES ? n : ENV_BLOCK_BYTES;
		struct cgi_env_block *b = malloc(sizeof *b + cap);
		if (b == NULL) {
			env->oom = true;
			return NULL;
		}
		b->next = env->blocks;
		env->blocks = b;
		env->room = b->bytes;
		env->room_left = cap;
	}
	char *p = env->room;
	env->room += n;
	env->room_left -= n;
	return p;
}

/* Gives back the last n bytes env_take handed out. */
static void env_untake(struct cgi_env *env, size_t n)
{
	env->room -= n;
	env->room_left += n;
}

/* var ("NAME=value", size bytes with its NUL, from env_take) into the
 * list, counted as execve(2) will count it. */
static void add_taken(struct cgi_env *env, char *var, size_t size)
{
	if (env->n + 2 > env->cap) {
		char **vars;
		size_t cap = env->cap ? env->cap * 2 : CGI_ENV_FIRST_VARS;
		if (env->cap == 0) {
			vars = env->first_vars;
		} else if (env->vars == env->first_vars) {
			vars = malloc(cap * sizeof *vars);
			if (vars != NULL)
				memcpy(vars, env->vars, env->n * sizeof *vars);
		} else {
			vars = realloc(env->vars, cap * sizeof *vars);
		}
		if (vars == NULL) {
			env->oom = true;
			return;
		}
		env->vars = vars;
		env->cap = cap;
	}
	env->vars[env->n++] = var;
	env->vars[env->n] = NULL;
	env->bytes += size + sizeof var;
	if (size > env->longest)
		env->longest = size;
}

static void add(struct cgi_env *env, const char *name, const char *value)
{
	size_t n = strlen(name), m = strlen(value);
	char *var = env_take(env, n + m + 2);
	if (var == NULL)
		return;
	memcpy(var, name, n);
	var[n] = '=';
	memcpy(var + n + 1, value, m + 1);
	add_taken(env, var, n + m + 2);
}

/* An inherited "NAME=value", as it is. */
static void add_copy(struct cgi_env *env, const char *var)
{
	size_t n = strlen(var) + 1;
	char *copy = env_take(env, n);
	if (copy == NULL)
		return;
	memcpy(copy, var, n);
	add_taken(env, copy, n);
}

static bool name_is(const char *var, const char *name)
{
	return environ_value(var, name) != NULL;
}

/* The value of NAME among env->vars[from..n), or NULL. */
static const char *value_from(const struct cgi_env *env, size_t from,
			      const char *name)
{
	for (size_t i = from; i < env->n; i++) {
		const char *value = environ_value(env->vars[i], name);
		if (value != NULL)
			return value;
	}
	return NULL;
}

const char *cgienv_get(const struct cgi_env *env, const char *name)
{
	return value_from(env, 0, name);
}

static bool keep_inherited(const char *var)
{
	for (size_t i = 0; i < sizeof meta_variables / sizeof *meta_variables; i++)
		if (name_is(var, meta_variables[i]))
			return false;
	for (size_t i = 0; i < sizeof dropped_prefixes / sizeof *dropped_prefixes; i++)
		if (ascii_starts_with(var, dropped_prefixes[i]))
			return false;
	return strchr(var, '=') != NULL;
}

/* Writes "HTTP_ACCEPT_ENCODING" for "Accept-Encoding" into dst (room for
 * strlen(header) + 5 bytes and a NUL). A name with '_' is not passed
 * (false): "X_Forwarded_For" would pose as "X-Forwarded-For" to a
 * script, the spoofing Apache 2.4 closed the same way. */
static bool header_variable(const char *header, char *dst)
{
	memcpy(dst, "HTTP_", 5);
	size_t i = 0;
	for (; header[i]; i++) {
		unsigned char c = (unsigned char)header[i];
		if (c == '-')
			c = '_';
		else if (ascii_is_alnum(c))
			c = ascii_to_upper(c);
		else
			return false;
		dst[5 + i] = (char)c;
	}
	dst[5 + i] = '\0';
	return true;
}

static bool header_passed(const char *name)
{
	for (size_t i = 0; i < sizeof headers_not_passed / sizeof *headers_not_passed; i++)
		if (ascii_casecmp(name, headers_not_passed[i]) == 0)
			return false;
	return true;
}

/* Every header becomes HTTP_*; repeated ones are joined as Python joins
 * Accept (","), Cookie as RFC 6265 5.4 does ("; ", where Python has ", "),
 * and the rest with ", ". Authorization is withheld where --auth verified
 * it: the password is the server's business, not the script's. Each variable
 * is built in room taken for its longest (names and values may be 64 KiB:
 * nothing that large goes on the stack), and the rest given back. */
static void add_headers(struct cgi_env *env, const struct request *rq,
			bool withhold_authorization)
{
	for (unsigned i = 0; i < rq->n_headers; i++) {
		const struct header *h = &rq->headers[i];
		if (!header_passed(h->name) || (withhold_authorization &&
		    ascii_casecmp(h->name, "Authorization") == 0))
			continue;
		bool seen = false;
		for (unsigned j = 0; j < i && !seen; j++)
			seen = ascii_casecmp(rq->headers[j].name, h->name) == 0;
		if (seen)
			continue; /* joined with its first occurrence */
		const char *sep = ascii_casecmp(h->name, "Accept") == 0 ? "," :
			ascii_casecmp(h->name, "Cookie") == 0 ? "; " : ", ";
		size_t name_len = strlen(h->name) + 5, len = name_len + 2;
		for (unsigned j = i; j < rq->n_headers; j++)
			if (ascii_casecmp(rq->headers[j].name, h->name) == 0)
				len += strlen(rq->headers[j].value) + 2;
		char *var = env_take(env, len);
		if (var == NULL)
			return;
		if (!header_variable(h->name, var)) {
			env_untake(env, len);
			continue;
		}
		size_t used = name_len;
		var[used++] = '=';
		bool first = true;
		for (unsigned j = i; j < rq->n_headers; j++) {
			const struct header *o = &rq->headers[j];
			if (ascii_casecmp(o->name, h->name) != 0 || o->value[0] == '\0')
				continue;
			if (!first) {
				memcpy(var + used, sep, strlen(sep));
				used += strlen(sep);
			}
			size_t n = strlen(o->value);
			memcpy(var + used, o->value, n);
			used += n;
			first = false;
		}
		var[used++] = '\0';    /* every value may be empty */
		env_untake(env, len - used);
		add_taken(env, var, used);
	}
}

/* AUTH_TYPE and REMOTE_USER only for a user --auth verified. Deliberately
 * differs from Python, whose run_cgi takes them from any Authorization
 * header nobody checked: a client could claim to be anyone. */
static void add_authorization(struct cgi_env *env, const struct cgi_script *script)
{
	if (script->remote_user == NULL)
		return;
	add(env, "AUTH_TYPE", "Basic");
	add(env, "REMOTE_USER", script->remote_user);
}

/* SERVER_NAME: the Host the client asked for, without its port, else
 * the address it reached us on. */
static void add_server_name(struct cgi_env *env, const struct request *rq,
			    const struct connection *conn)
{
	char name[256];
	if (rq->host == NULL || rq->host_name_len == 0) {
		/* RFC 3875 4.1.14: an IPv6 address in its URI form, bracketed. */
		bool v6 = strchr(conn->local_addr, ':') != NULL;
		const char *addr = conn->local_addr[0] ? conn->local_addr : "localhost";
		size_t n = text_join(name, sizeof name, v6 ? "[" : "", addr);
		if (v6)
			text_append(name, sizeof name, n, "]", 1);
	} else {
		text_append(name, sizeof name, 0, rq->host, rq->host_name_len);
	}
	add(env, "SERVER_NAME", name);
}

static void add_server_port(struct cgi_env *env, const struct request *rq,
			    const struct connection *conn, bool https)
{
	if (conn->local_port[0])
		add(env, "SERVER_PORT", conn->local_port);
	else
		add(env, "SERVER_PORT", rq->host_port ? rq->host_port :
		    https ? "443" : "80");
}

/* REQUEST_URI: the path and the query as sent (Python has none). */
static void add_request_uri(struct cgi_env *env, const struct request *rq)
{
	static const char name[] = "REQUEST_URI=";
	size_t path = strlen(rq->path), query = rq->query ? strlen(rq->query) : 0;
	char *var = env_take(env, sizeof name + path + 1 + query);
	if (var == NULL)
		return;
	char *p = var;
	memcpy(p, name, sizeof name - 1);
	p += sizeof name - 1;
	memcpy(p, rq->path, path);
	p += path;
	if (rq->query) {
		*p++ = '?';
		memcpy(p, rq->query, query);
		p += query;
	}
	*p = '\0';
	add_taken(env, var, (size_t)(p - var) + 1);
}

/* A PROXY header's SSL TLV speaks for this connection: what a TLS front
 * end left in the environment (stunnel's SSL_*) would contradict it. */
static bool tls_variable(const char *var)
{
	return name_is(var, "SSL_PROTOCOL") || name_is(var, "SSL_CIPHER") ||
		name_is(var, "SSL_TLS_SNI");
}

/* The TLS facts of a PROXY header's SSL TLV, as mod_ssl names them. */
static void add_proxy_tls(struct cgi_env *env, const struct connection *conn)
{
	if (conn->ssl_protocol[0])
		add(env, "SSL_PROTOCOL", conn->ssl_protocol);
	if (conn->ssl_cipher[0])
		add(env, "SSL_CIPHER", conn->ssl_cipher);
	if (conn->tls_sni[0])
		add(env, "SSL_TLS_SNI", conn->tls_sni);
}

int cgienv_build(struct cgi_env *env, char *const *inherited,
		 const struct request *rq, const struct cgi_script *script,
		 const struct connection *conn, bool https)
{
	cgienv_init(env);
	https = https || conn->proxy_tls; /* --https, or this connection's TLS */
	for (char *const *v = inherited; v && *v; v++)
		if (keep_inherited(*v) && !(script->home && name_is(*v, "HOME")) &&
		    !(conn->proxy_tls && tls_variable(*v)))
			add_copy(env, *v);
	size_t own = env->n;
	/* As su(1) does: a script as nobody has no business with /root. */
	if (script->home)
		add(env, "HOME", script->home);

	add(env, "SERVER_SOFTWARE", SERVER_SOFTWARE);
	add_server_name(env, rq, conn);
	add(env, "GATEWAY_INTERFACE", "CGI/1.1");
	add(env, "SERVER_PROTOCOL", rq->version);
	add_server_port(env, rq, conn, https);
	add(env, "REQUEST_METHOD", rq->method_name);
	add(env, "PATH_INFO", script->path_info);
	add(env, "PATH_TRANSLATED", script->path_translated);
	add(env, "SCRIPT_NAME", script->script_name);
	add(env, "QUERY_STRING", rq->query ? rq->query : "");
	add(env, "REMOTE_ADDR", conn->peer_addr);
	if (conn->peer_port[0])
		add(env, "REMOTE_PORT", conn->peer_port);
	add(env, "DOCUMENT_ROOT", script->document_root);
	add(env, "SCRIPT_FILENAME", script->script_filename);
	add_request_uri(env, rq);
	if (https)
		add(env, "HTTPS", "on");
	if (conn->proxy_tls)
		add_proxy_tls(env, conn);
	add_authorization(env, script);
	/* Python: the default type of an absent Content-Type, text/plain. */
	const char *type = request_header(rq, "Content-Type");
	add(env, "CONTENT_TYPE", type ? type : "text/plain");
	/* The canonical number, not the digits as sent: "010" is 8 to a
	 * shell's arithmetic. */
	if (rq->content_length >= 0) {
		char length[TEXT_DECIMAL_MAX];
		text_decimal(length, rq->content_length);
		add(env, "CONTENT_LENGTH", length);
	}
	size_t headers = env->n;
	add_headers(env, rq, script->remote_user != NULL);
	/* Python's empty defaults, so a script may read them unchecked. Only
	 * what was set here can hold them: the inherited environment has no
	 * meta-variable and no HTTP_* left. */
	static const char *const empty_defaults[] = {
		"QUERY_STRING", "REMOTE_HOST", "CONTENT_LENGTH", "HTTP_ACCEPT",
		"HTTP_USER_AGENT", "HTTP_COOKIE", "HTTP_REFERER",
	};
	for (size_t i = 0; i < sizeof empty_defaults / sizeof *empty_defaults; i++)
		if (!value_from(env, ascii_starts_with(empty_defaults[i], "HTTP_") ?
				headers : own, empty_defaults[i]))
			add(env, empty_defaults[i], "");
	if (env->oom)
		return STATUS_INTERNAL_ERROR;
	return cgienv_fits(env, 0);
}

int cgienv_fits(const struct cgi_env *env, size_t argv_bytes)
{
	return env->longest > CGI_VARIABLE_MAX ||
		argv_bytes > CGI_ENVIRONMENT_MAX ||
		env->bytes > CGI_ENVIRONMENT_MAX - argv_bytes ?
		STATUS_HEADERS_TOO_LARGE : 0;
}

void cgienv_free(struct cgi_env *env)
{
	for (struct cgi_env_block *b = env->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	if (env->vars != env->first_vars)
		free(env->vars);
	cgienv_init(env);
}

char *cgienv_argument(const char *query, char *buf, size_t cap)
{
	if (query == NULL || *query == '\0' || strchr(query, '=') != NULL)
		return NULL;
	size_t n = strlen(query);
	if (n + 1 > cap)
		return NULL;
	for (size_t i = 0; i <= n; i++)
		buf[i] = query[i] == '+' ? ' ' : query[i];
	if (buf[0] == '-')
		return NULL;
	return buf;
}

char *cgienv_add_argument(struct cgi_env *env, const char *query)
{
	if (query == NULL)
		return NULL;
	size_t cap = strlen(query) + 1;
	char *room = env_take(env, cap);
	if (room == NULL)
		return NULL;
	char *argument = cgienv_argument(query, room, cap);
	if (argument == NULL)
		env_untake(env, cap);
	return argument;
}
