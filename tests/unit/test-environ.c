/* environ_read against getenv's rule (the first "NAME=" wins), over
 * environments of every wanted name, of names one byte away from them,
 * and of repeats: each fact is what getenv would return, or NULL. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "environ.h"
#include "tap.h"

extern char **environ;

static const struct {
	const char *name;
	size_t offset;
} facts[] = {
#define FACT(name, field) { name, offsetof(struct environ_facts, field) }
	FACT("LISTEN_PID", listen_pid), FACT("LISTEN_FDS", listen_fds),
	FACT("REMOTE_ADDR", remote_addr), FACT("REMOTE_PORT", remote_port),
	FACT("TCPREMOTEIP", tcp_remote_ip), FACT("TCPREMOTEPORT", tcp_remote_port),
	FACT("TCPLOCALIP", tcp_local_ip), FACT("TCPLOCALPORT", tcp_local_port),
	FACT("SSL_PROTOCOL", ssl_protocol), FACT("JOURNAL_STREAM", journal_stream),
#undef FACT
};

static void check(const char *label, char **env);

/* getenv's answer in env, worked out the plain way. */
static const char *first_value(char **env, const char *name)
{
	size_t n = strlen(name);
	for (; env && *env; env++)
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

/* list as environ holds it (char *, NULL-terminated), in copies. */
static void check_list(const char *label, const char *const *list)
{
	char *env[32];
	size_t n = 0;
	for (; list[n] && n + 1 < sizeof env / sizeof *env; n++)
		env[n] = strdup(list[n]);
	env[n] = NULL;
	check(label, env);
	for (size_t i = 0; i < n; i++)
		free(env[i]);
}

static void check(const char *label, char **env)
{
	char **saved = environ;
	environ = env;
	struct environ_facts f;
	environ_read(&f);
	environ = saved;
	int wrong = 0;
	for (size_t i = 0; i < sizeof facts / sizeof *facts; i++) {
		const char *got = *(const char **)((char *)&f + facts[i].offset);
		if (got != first_value(env, facts[i].name)) {
			printf("# %s: %s is %s\n", label, facts[i].name, got ? got : "(null)");
			wrong++;
		}
	}
	tap_ok(wrong == 0, "environ_read: %s", label);
}

int main(void)
{
	static const char *const every[] = {
		"PATH=/usr/bin:/bin", "LISTEN_PID=42", "LISTEN_FDS=1",
		"REMOTE_ADDR=192.0.2.7", "REMOTE_PORT=5000", "TCPREMOTEIP=192.0.2.8",
		"TCPREMOTEPORT=5001", "TCPLOCALIP=198.51.100.1", "TCPLOCALPORT=80",
		"SSL_PROTOCOL=TLSv1.3", "JOURNAL_STREAM=8:1234", NULL,
	};
	check_list("every name it reads, each found", every);
	static const char *const near[] = {
		"TCPLOCALHOST=x", "LISTEN_FDNAMES=x", "REMOTE_ADDRESS=x", "REMOTE_=x",
		"SSL_PROTOCOLS=x", "JOURNAL_STREAMS=x", "TCPREMOTEIPX=x", "TCPREMOTE=x",
		"TCPLOCAL=x", "LISTEN_PID", "REMOTE_PORT", "TCPREMOTEPOR=x", "TCPLOCALI=x",
		"LISTEN_=x", "=x", "", "tcpremoteip=x", "SSL_PROTOCO=x", NULL,
	};
	check_list("names one byte away, or without '=': none found", near);
	static const char *const repeats[] = {
		"TCPREMOTEIP=first", "TCPREMOTEIP=second", "TCPLOCALHOST=h",
		"TCPLOCALPORT=", "TCPLOCALPORT=8080", "SSL_PROTOCOL==", "LISTEN_FDS=1=2",
		"JOURNAL_STREAM", "JOURNAL_STREAM=9:9", NULL,
	};
	check_list("repeats: the first wins, an empty value counts, '=' in a value kept",
		   repeats);
	static const char *const none[] = { NULL };
	check_list("an empty environment", none);
	check("no environment at all (environ NULL)", NULL);
	return tap_done();
}
