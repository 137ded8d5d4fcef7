/*
 * The CGI floor: the least a fork-and-exec-per-connection server can do to
 * run a CGI script in place. Read the request head from fd 0 until the
 * empty line, write the status line that cgihandlerd writes before a
 * script's own headers, then exec the script with a minimal CGI
 * environment. The script writes the rest of the response to the same
 * socket and its exit closes it (the response ends at EOF).
 *
 *     cgi-floor SCRIPT
 *
 * No privilege drop, no header parsing beyond the request line, no checks:
 * bench/run reports cgihandlerd's CGI req/s as a ratio to this.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

static const char status[] = "HTTP/1.0 200 Script output follows\r\n";

static char buf[16384];

/* Has the head ended? Only the last bytes read can complete "\r\n\r\n". */
static int head_ended(size_t len, size_t from)
{
	size_t i = from >= 3 ? from - 3 : 0;

	for (; i + 4 <= len; i++)
		if (memcmp(buf + i, "\r\n\r\n", 4) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static char method[32 + sizeof "REQUEST_METHOD="] = "REQUEST_METHOD=";
	static char query[1024 + sizeof "QUERY_STRING="] = "QUERY_STRING=";
	size_t len = 0;

	if (argc != 2)
		return 2;
	while (len < sizeof buf - 1) {
		ssize_t n = read(0, buf + len, sizeof buf - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (head_ended(len, len - (size_t)n))
			break;
	}
	buf[len] = '\0';

	/* "METHOD SP TARGET ...": the method, and the query after a '?' */
	size_t m = strcspn(buf, " \r\n");
	if (m < 32)
		memcpy(method + sizeof "REQUEST_METHOD=" - 1, buf, m);
	char *target = buf + m + (buf[m] == ' ');
	size_t t = strcspn(target, " \r\n");
	char *q = memchr(target, '?', t);
	if (q && (size_t)(target + t - q - 1) < 1024)
		memcpy(query + sizeof "QUERY_STRING=" - 1, q + 1, (size_t)(target + t - q - 1));

	char *env[] = {
		"GATEWAY_INTERFACE=CGI/1.1", "SERVER_PROTOCOL=HTTP/1.1",
		"SERVER_SOFTWARE=cgi-floor", "SERVER_NAME=127.0.0.1",
		"PATH=/usr/bin:/bin", method, query, NULL,
	};
	for (size_t off = 0; off < sizeof status - 1;) {
		ssize_t n = write(1, status + off, sizeof status - 1 - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 1;
		off += (size_t)n;
	}
	execve(argv[1], (char *[]){ argv[1], NULL }, env);
	return 1;
}
