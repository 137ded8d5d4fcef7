#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ascii.h"
#include "config-build.h"
#include "bounds.h"
#include "log.h"

static const char usage_text[] =
"Usage: cgihandlerd [OPTION]... [DIRECTORY]\n"
"Answer one HTTP request on stdin/stdout (as inetd, xinetd, systemd or\n"
"tcpserver start it): serve files below DIRECTORY (default: the current\n"
"directory) and run CGI scripts, as Python's CGIHTTPRequestHandler does.\n"
"\n"
"  -l, --listen [ADDR:]PORT  serve standalone: accept connections and fork\n"
"                            one handler for each (IPv4 and IPv6)\n"
"      --listen systemd      the same, on the socket systemd passes\n"
"                            (a socket unit with Accept=no)\n"
"  -t, --timeout SECONDS     time allowed for the request head (default 30)\n"
"      --show-hidden         serve files whose names start with '.'\n"
"  -c, --cgi-dir PATH        a URL directory holding CGI scripts; repeat for\n"
"                            more (default: /cgi-bin and /htbin)\n"
"      --cgi-timeout SECONDS wall-clock limit for a CGI script (default 600,\n"
"                            0 for none)\n"
"      --cgi-cpu SECONDS     CPU-time limit for a CGI script (default: none)\n"
"  -u, --user NAME           run scripts as NAME when started as root\n"
"                            (default: nobody)\n"
"      --allow-writable-scripts\n"
"                            run scripts writable by group or others\n"
"      --parse-headers       read the script's Status:/Location: headers and\n"
"                            write the status line from them (RFC 3875)\n"
"      --https               tell scripts HTTPS=on (a TLS front end is used)\n"
"      --proxy-protocol      every connection opens with a PROXY header (v1 or\n"
"                            v2, from HAProxy, stunnel, ...) naming the client\n"
"      --proxy-from ADDR[/PREFIX]\n"
"                            only these peers send one (repeatable; implies\n"
"                            --proxy-protocol); others are direct clients\n"
"      --auth FILE           password-protect the paths FILE names, one\n"
"                            'PATH-PREFIX USER:HASH' a line (HTTP Basic,\n"
"                            hashes by crypt(3): yescrypt, bcrypt, sha512)\n"
"      --auth-over-http      take passwords without TLS (a local front end\n"
"                            that terminates TLS and sends no PROXY header)\n"
"      --cgi-methods LIST    methods beyond GET, HEAD and POST that scripts\n"
"                            take, comma-separated (PUT,DELETE,PATCH,OPTIONS)\n"
"      --max-body BYTES      largest chunked request body a script is given,\n"
"                            decoded (default 67108864)\n"
"      --max-children N      with --listen: handlers at once (default 256);\n"
"                            more connections wait in the listen queue\n"
"      --min-send-rate BYTES a client reading a file slower than this, on\n"
"                            average once --timeout has passed, is cut off\n"
"                            (default 4096 bytes a second, 0 for none)\n"
"      --charset NAME        add '; charset=NAME' to text types of files\n"
"                            (default: none, as Python)\n"
"      --max-age SECONDS     send 'Cache-Control: max-age=SECONDS' with files\n"
"                            (not with listings or CGI output)\n"
"      --listing-max-age SECONDS\n"
"                            the same for directory listings\n"
"      --precompressed       send FILE.br, FILE.zst or FILE.gz in place of\n"
"                            FILE to a client that accepts that coding\n"
"      --vhost               serve each Host from DIRECTORY/HOST/, else from\n"
"                            DIRECTORY/default/\n"
"      --listing=STYLE       directory listings: 'detailed' (default: sizes\n"
"                            and times) or 'simple' (Python's exact page)\n"
"  -h, --help                show this help and exit\n"
"  -V, --version             show the version and exit\n"
"\n"
"Exit status: 0 when a request was answered (whatever its HTTP status),\n"
"100 for a bad command line, 111 when the system refused something at\n"
"start-up. See cgihandlerd(8).\n";

enum {
	OPT_SHOW_HIDDEN = 256,
	OPT_CGI_TIMEOUT,
	OPT_CGI_CPU,
	OPT_ALLOW_WRITABLE,
	OPT_PARSE_HEADERS,
	OPT_HTTPS,
	OPT_MAX_CHILDREN,
	OPT_MIN_SEND_RATE,
	OPT_CGI_METHODS,
	OPT_MAX_BODY,
	OPT_CHARSET,
	OPT_MAX_AGE,
	OPT_PRECOMPRESSED,
	OPT_LISTING,
	OPT_VHOST,
	OPT_LISTING_MAX_AGE,
	OPT_PROXY_PROTOCOL,
	OPT_PROXY_FROM,
	OPT_AUTH,
	OPT_AUTH_OVER_HTTP,
};

static const struct option options[] = {
	{ "listen", required_argument, NULL, 'l' },
	{ "timeout", required_argument, NULL, 't' },
	{ "show-hidden", no_argument, NULL, OPT_SHOW_HIDDEN },
	{ "cgi-dir", required_argument, NULL, 'c' },
	{ "cgi-timeout", required_argument, NULL, OPT_CGI_TIMEOUT },
	{ "cgi-cpu", required_argument, NULL, OPT_CGI_CPU },
	{ "user", required_argument, NULL, 'u' },
	{ "allow-writable-scripts", no_argument, NULL, OPT_ALLOW_WRITABLE },
	{ "parse-headers", no_argument, NULL, OPT_PARSE_HEADERS },
	{ "https", no_argument, NULL, OPT_HTTPS },
	{ "max-children", required_argument, NULL, OPT_MAX_CHILDREN },
	{ "min-send-rate", required_argument, NULL, OPT_MIN_SEND_RATE },
	{ "cgi-methods", required_argument, NULL, OPT_CGI_METHODS },
	{ "max-body", required_argument, NULL, OPT_MAX_BODY },
	{ "charset", required_argument, NULL, OPT_CHARSET },
	{ "max-age", required_argument, NULL, OPT_MAX_AGE },
	{ "precompressed", no_argument, NULL, OPT_PRECOMPRESSED },
	{ "listing", required_argument, NULL, OPT_LISTING },
	{ "vhost", no_argument, NULL, OPT_VHOST },
	{ "listing-max-age", required_argument, NULL, OPT_LISTING_MAX_AGE },
	{ "proxy-protocol", no_argument, NULL, OPT_PROXY_PROTOCOL },
	{ "proxy-from", required_argument, NULL, OPT_PROXY_FROM },
	{ "auth", required_argument, NULL, OPT_AUTH },
	{ "auth-over-http", no_argument, NULL, OPT_AUTH_OVER_HTTP },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

_Noreturn void fatal(int code, const char *what)
{
	log_startup("fatal: %s: %s", what, strerror(errno));
	exit(code);
}

__attribute__((format(printf, 1, 2)))
_Noreturn static void usage_error(const char *fmt, ...)
{
	char message[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	log_startup("%s (try 'cgihandlerd --help')", message);
	exit(EXIT_USAGE);
}

/* The option getopt refused, as the user wrote it. getopt leaves optind
 * on a cluster ("-Zx") until its last letter is done, so argv[optind - 1]
 * may be an earlier word (and musl may step past argc): a short option is
 * named by optopt, its letter. A long one (optopt 0, or its val after
 * "--help=x") is the word getopt has just stepped over. */
static const char *refused_option(int argc, char **argv, char letter[3])
{
	const char *word = optind - 1 < argc ? argv[optind - 1] : "";
	const char *cluster = optind < argc ? argv[optind] : "";
	bool is_letter = optopt > 0 && optopt < 256;
	bool mid_cluster = is_letter && cluster[0] == '-' && cluster[1] != '-' &&
		strchr(cluster + 1, optopt);
	if (is_letter && (mid_cluster || strncmp(word, "--", 2) != 0)) {
		letter[0] = '-';
		letter[1] = (char)optopt;
		letter[2] = '\0';
		return letter;
	}
	return word;
}

/* A whole number min..max, digits only. */
static unsigned parse_number(const char *option, const char *arg,
			     unsigned long min, unsigned long max, const char *what)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] < '0' || arg[0] > '9' ||
	    v < min || v > max)
		usage_error("invalid %s for %s", what, option);
	return (unsigned)v;
}

static unsigned parse_seconds(const char *option, const char *arg,
			      unsigned min)
{
	return parse_number(option, arg, min, 86400 * 365, "number of seconds");
}

/* A CGI directory as Python's cgi_directories holds it: "/cgi-bin", with
 * one leading slash and none at the end (cut off in argv itself, which is
 * ours to write). */
static const char *cgi_dir(char *arg)
{
	size_t n = strlen(arg);
	while (n > 1 && arg[n - 1] == '/')
		n--;
	if (arg[0] != '/' || n < 2 || strstr(arg, "//") || strstr(arg, "/.") ||
	    n > URL_PATH_MAX)
		usage_error("invalid --cgi-dir '%s' (want a path like /cgi-bin)",
			    arg);
	arg[n] = '\0';
	return arg;
}

/* "PUT,DELETE": each a token, not one of the three always served (cut
 * apart in argv itself, which is ours to write). */
static void cgi_methods(struct config *cfg, char *list)
{
	char *m = list;
	for (bool more = true; more;) {
		char *comma = strchr(m, ',');
		more = comma != NULL;
		if (comma)
			*comma = '\0';
		bool token = *m != '\0';
		for (const char *p = m; *p && token; p++)
			token = ascii_is_tchar((unsigned char)*p);
		if (!token || strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 ||
		    strcmp(m, "POST") == 0)
			usage_error("invalid method '%s' for --cgi-methods", m);
		if (cfg->n_cgi_methods == CGI_METHODS_MAX)
			usage_error("at most %d --cgi-methods", CGI_METHODS_MAX);
		cfg->cgi_methods[cfg->n_cgi_methods++] = m;
		m = comma + 1;
	}
}

/* A charset name as RFC 9110 8.3.2 has it (a token), short enough for
 * any registered one: it goes into a header as is. */
static const char *charset_name(const char *arg)
{
	size_t n = strlen(arg);
	bool ok = n > 0 && n <= 40;
	for (size_t i = 0; i < n && ok; i++)
		ok = ascii_is_tchar((unsigned char)arg[i]);
	if (!ok)
		usage_error("invalid --charset '%s' (want a name like utf-8)", arg);
	return arg;
}

void config_from_args(struct config *cfg, int argc, char **argv)
{
	/* cfg is all zeros already (config.h): clearing it here would clear
	 * its path buffers, kilobytes, on every request. */
	cfg->root = ".";
	cfg->head_timeout = HEAD_TIMEOUT_DEFAULT;
	cfg->user = "nobody";
	cfg->cgi_timeout = CGI_TIMEOUT_DEFAULT;
	cfg->max_children = MAX_CHILDREN_DEFAULT;
	cfg->min_send_rate = MIN_SEND_RATE_DEFAULT;
	cfg->max_body = MAX_BODY_DEFAULT;
	cfg->max_age = -1;
	cfg->listing_max_age = -1;
	bool cgi_dirs_given = false;
	char letter[3];
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:l:t:c:u:hV", options, NULL)) != -1) {
		switch (c) {
		case 'l':
			cfg->listen = optarg;
			break;
		case 't':
			cfg->head_timeout = parse_seconds("--timeout", optarg, 1);
			break;
		case OPT_SHOW_HIDDEN:
			cfg->show_hidden = true;
			break;
		case 'c':
			if (!cgi_dirs_given)
				cfg->n_cgi_dirs = 0;
			cgi_dirs_given = true;
			if (cfg->n_cgi_dirs == CGI_DIRS_MAX)
				usage_error("at most %d --cgi-dir options", CGI_DIRS_MAX);
			cfg->cgi_dirs[cfg->n_cgi_dirs++] = cgi_dir(optarg);
			break;
		case OPT_CGI_TIMEOUT:
			cfg->cgi_timeout = parse_seconds("--cgi-timeout", optarg, 0);
			break;
		case OPT_CGI_CPU:
			cfg->cgi_cpu = parse_seconds("--cgi-cpu", optarg, 0);
			break;
		case 'u':
			cfg->user = optarg;
			break;
		case OPT_ALLOW_WRITABLE:
			cfg->allow_writable_scripts = true;
			break;
		case OPT_PARSE_HEADERS:
			cfg->parse_headers = true;
			break;
		case OPT_HTTPS:
			cfg->https = true;
			break;
		case OPT_PROXY_PROTOCOL:
			cfg->proxy_protocol = true;
			break;
		case OPT_PROXY_FROM:
			/* Naming who may send a header means headers are read. */
			cfg->proxy_protocol = true;
			if (cfg->n_proxy_from == PROXY_FROM_MAX)
				usage_error("at most %d --proxy-from options",
					    PROXY_FROM_MAX);
			if (proxy_net_parse(optarg,
					    &cfg->proxy_from[cfg->n_proxy_from++]) != 0)
				usage_error("invalid --proxy-from '%s' (want an "
					    "address like 192.0.2.0/24 or 2001:db8::/32)",
					    optarg);
			break;
		case OPT_AUTH:
			/* Without crypt_r nothing could be verified: serving the
			 * paths unprotected is no fallback. */
			if (!HAVE_CRYPT_R)
				usage_error("--auth needs crypt_r(3), and this build "
					    "has none (built without libcrypt)");
			if (optarg[0] == '\0')
				usage_error("invalid --auth '' (want a file name)");
			cfg->auth_file = optarg;
			break;
		case OPT_AUTH_OVER_HTTP:
			cfg->auth_over_http = true;
			break;
		case OPT_MAX_CHILDREN:
			cfg->max_children = parse_number("--max-children", optarg,
							 1, 65536, "number");
			break;
		case OPT_CGI_METHODS:
			cgi_methods(cfg, optarg);
			break;
		case OPT_MAX_BODY:
			cfg->max_body = parse_number("--max-body", optarg, 0,
						     1UL << 31, "number of bytes");
			break;
		case OPT_MIN_SEND_RATE:
			cfg->min_send_rate = parse_number("--min-send-rate", optarg,
							  0, 1UL << 30, "rate");
			break;
		case OPT_CHARSET:
			cfg->charset = charset_name(optarg);
			break;
		case OPT_MAX_AGE:
			cfg->max_age = parse_seconds("--max-age", optarg, 0);
			break;
		case OPT_PRECOMPRESSED:
			cfg->precompressed = true;
			break;
		case OPT_LISTING_MAX_AGE:
			cfg->listing_max_age = parse_seconds("--listing-max-age", optarg, 0);
			break;
		case OPT_VHOST:
			cfg->vhost = true;
			break;
		case OPT_LISTING:
			if (strcmp(optarg, "simple") != 0 &&
			    strcmp(optarg, "detailed") != 0)
				usage_error("invalid --listing '%s' (want simple or detailed)",
					    optarg);
			cfg->listing_simple = strcmp(optarg, "simple") == 0;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case 'V':
			printf("cgihandlerd %s\n", PACKAGE_VERSION);
			exit(0);
		case ':':
			usage_error("option '%s' needs a value",
				    refused_option(argc, argv, letter));
		default:
			usage_error("unknown option '%s'",
				    refused_option(argc, argv, letter));
		}
	}
	if (!cgi_dirs_given) {
		cfg->cgi_dirs[0] = "/cgi-bin";
		cfg->cgi_dirs[1] = "/htbin";
		cfg->n_cgi_dirs = 2;
	}
	if (cfg->auth_over_http && !cfg->auth_file)
		usage_error("--auth-over-http needs --auth");
	if (optind < argc)
		cfg->root = argv[optind++];
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);

	/* stunnel and similar TLS front ends say so in the environment. */
	environ_read(&cfg->env);
	cfg->https = cfg->https || cfg->env.ssl_protocol != NULL;
	int opened = confine_root_open(&cfg->root_dir, cfg->root);
	if (opened == 0 && cfg->root_dir.fd < 3) {
		/* A standard fd was closed: the root must not stand in it. */
		int high = fcntl(cfg->root_dir.fd, F_DUPFD_CLOEXEC, 3);
		close(cfg->root_dir.fd);
		cfg->root_dir.fd = high;
		log_hold_std_fds();
		opened = high >= 0 ? 0 : -1;
	}
	if (opened != 0) {
		char what[REAL_PATH_MAX + 32];
		snprintf(what, sizeof what, "unable to open %s", cfg->root);
		/* Standalone, the operator reads this and nobody waits. Under a
		 * superserver a client is connected: say why here, and main()
		 * answers it 500 (root_dir.fd < 0) instead of resetting it. */
		if (cfg->listen)
			fatal(EXIT_SYSTEM, what);
		log_startup("%s: %s", what, strerror(errno));
	}
}

void config_hint_terminal(const struct config *cfg)
{
	log_startup("reading one HTTP request from the terminal; a "
		    "superserver normally starts this program (see "
		    "cgihandlerd(8)), or try: cgihandlerd --listen 8000 %s",
		    cfg->root);
}
