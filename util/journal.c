#include "journal.h"

#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* Where journald listens (systemd.journal-fields(7), "native protocol"). */
#define JOURNAL_SOCKET "/run/systemd/journal/socket"
/* An entry, every field of it; journald takes larger ones only through
 * a memfd, which nothing of ours needs. */
#define JOURNAL_ENTRY_MAX 16384

bool journal_booted(void)
{
	struct stat st;
	return lstat("/run/systemd/system/", &st) == 0 && S_ISDIR(st.st_mode);
}

/* Appends one field: "NAME=value\n", or, for a value with a newline in
 * it, "NAME\n", its length as 64-bit little endian, the value and "\n". */
static bool append(char *buf, size_t *len, const struct journal_field *f)
{
	size_t name = strlen(f->name), value = strlen(f->value);
	bool binary = memchr(f->value, '\n', value) != NULL;
	size_t need = name + 1 + (binary ? 8 : 0) + value + 1;
	if (*len + need > JOURNAL_ENTRY_MAX)
		return false;
	char *p = buf + *len;
	memcpy(p, f->name, name);
	p += name;
	if (binary) {
		*p++ = '\n';
		uint64_t n = value;
		for (int i = 0; i < 8; i++)
			*p++ = (char)((n >> (8 * i)) & 0xff);
	} else {
		*p++ = '=';
	}
	memcpy(p, f->value, value);
	p[value] = '\n';
	*len += need;
	return true;
}

int journal_send(const struct journal_field *fields, size_t n)
{
	static char buf[JOURNAL_ENTRY_MAX];
	static int fd = -1;
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		if (!append(buf, &len, &fields[i]))
			return -1;
	if (fd < 0)
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_un to = { .sun_family = AF_UNIX, .sun_path = JOURNAL_SOCKET };
	return sendto(fd, buf, len, MSG_NOSIGNAL, (const struct sockaddr *)&to,
		      sizeof to) == (ssize_t)len ? 0 : -1;
}
