#include "environ.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

extern char **environ;

#define WANT(tail, field) { tail, offsetof(struct environ_facts, field) }

/* The names grouped by the prefix they share, no prefix that of another:
 * a variable is compared with each prefix (most differ at the first byte)
 * and then only with its group's tails. Names compared one by one were a
 * tenth of a static request, the TCP* ones each against four others that
 * share up to nine bytes with it. */
static const struct {
	const char *prefix;
	struct {
		const char *tail;
		size_t offset;
	} tails[2];
} wanted[] = {
	{ "LISTEN_", { WANT("PID", listen_pid), WANT("FDS", listen_fds) } },
	{ "REMOTE_", { WANT("ADDR", remote_addr), WANT("PORT", remote_port) } },
	{ "TCPREMOTE", { WANT("IP", tcp_remote_ip), WANT("PORT", tcp_remote_port) } },
	{ "TCPLOCAL", { WANT("IP", tcp_local_ip), WANT("PORT", tcp_local_port) } },
	{ "SSL_PROTOCOL", { WANT("", ssl_protocol) } },
	{ "JOURNAL_STREAM", { WANT("", journal_stream) } },
};

/* What follows prefix in var, or NULL when var does not start with it. */
static inline const char *after_prefix(const char *var, const char *prefix)
{
	size_t i = 0;
	while (prefix[i] != '\0' && var[i] == prefix[i])
		i++;
	return prefix[i] == '\0' ? var + i : NULL;
}

void environ_read(struct environ_facts *f)
{
	*f = (struct environ_facts){ 0 };
	for (char **v = environ; v && *v; v++) {
		for (size_t g = 0; g < sizeof wanted / sizeof *wanted; g++) {
			const char *tail = after_prefix(*v, wanted[g].prefix);
			if (tail == NULL)
				continue;
			for (size_t t = 0; t < 2 && wanted[g].tails[t].tail; t++) {
				const char *value = environ_value(tail, wanted[g].tails[t].tail);
				if (value == NULL)
					continue;
				const char **slot = (const char **)((char *)f +
								    wanted[g].tails[t].offset);
				if (*slot == NULL) /* the first, as getenv finds it */
					*slot = value;
				break;
			}
			break;              /* no other prefix can match */
		}
	}
}
