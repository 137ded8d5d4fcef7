#include "environ.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

extern char **environ;

#define WANT(name, field) { name, offsetof(struct environ_facts, field) }

static const struct {
	const char *name;
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
 * cheap: no lengths are measured, no call is made per comparison. */
void environ_read(struct environ_facts *f)
{
	*f = (struct environ_facts){ 0 };
	for (char **v = environ; v && *v; v++) {
		for (size_t i = 0; i < sizeof wanted / sizeof *wanted; i++) {
			const char *value = environ_value(*v, wanted[i].name);
			if (value == NULL)
				continue;
			const char **slot = (const char **)((char *)f + wanted[i].offset);
			if (*slot == NULL) /* the first, as getenv finds it */
				*slot = value;
			break;
		}
	}
}
