#include "environ.h"

#include <stddef.h>
#include <string.h>

extern char **environ;

#define WANT(name, field) { name, sizeof name - 1, offsetof(struct environ_facts, field) }

static const struct {
	const char *name;
	size_t len;
	size_t offset;
} wanted[] = {
	WANT("LISTEN_PID", listen_pid),
	WANT("LISTEN_FDS", listen_fds),
	WANT("REMOTE_ADDR", remote_addr),
	WANT("REMOTE_PORT", remote_port),
	WANT("TCPREMOTEIP", tcp_remote_ip),
	WANT("TCPREMOTEPORT", tcp_remote_port),
	WANT("TCPLOCALIP", tcp_local_ip),
	WANT("TCPLOCALPORT", tcp_local_port),
	WANT("SSL_PROTOCOL", ssl_protocol),
	WANT("JOURNAL_STREAM", journal_stream),
};

void environ_read(struct environ_facts *f)
{
	*f = (struct environ_facts){ 0 };
	for (char **v = environ; v && *v; v++) {
		const char *var = *v;
		/* Every name wanted starts with one of these. */
		if (!strchr("LRTSJ", var[0]) || var[0] == '\0')
			continue;
		const char *eq = strchr(var, '=');
		if (eq == NULL)
			continue;
		size_t n = (size_t)(eq - var);
		for (size_t i = 0; i < sizeof wanted / sizeof *wanted; i++) {
			if (wanted[i].len != n || memcmp(var, wanted[i].name, n) != 0)
				continue;
			const char **slot = (const char **)((char *)f + wanted[i].offset);
			if (*slot == NULL) /* the first, as getenv finds it */
				*slot = eq + 1;
			break;
		}
	}
}
