#include "environ.h"

#include <stdbool.h>
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

/* Every request walks the whole environment once, so the walk must be
 * cheap: most variables are rejected on their first byte, and the '='
 * is looked for only as far as the longest name wanted. */
static bool may_be_wanted(char first)
{
	switch (first) {
	case 'J': case 'L': case 'R': case 'S': case 'T':
		return true;
	default:
		return false;
	}
}

void environ_read(struct environ_facts *f)
{
	enum { LONGEST = 31 };  /* above every name in wanted */
	*f = (struct environ_facts){ 0 };
	for (char **v = environ; v && *v; v++) {
		const char *var = *v;
		if (!may_be_wanted(var[0]))
			continue;
		size_t n = 0;
		while (n <= LONGEST && var[n] != '=' && var[n] != '\0')
			n++;
		if (n > LONGEST || var[n] != '=')
			continue;
		for (size_t i = 0; i < sizeof wanted / sizeof *wanted; i++) {
			if (wanted[i].len != n || memcmp(var, wanted[i].name, n) != 0)
				continue;
			const char **slot = (const char **)((char *)f + wanted[i].offset);
			if (*slot == NULL) /* the first, as getenv finds it */
				*slot = var + n + 1;
			break;
		}
	}
}
