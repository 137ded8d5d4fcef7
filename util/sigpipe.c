/* Most requests write to the connection with send(MSG_NOSIGNAL) and log
 * to a file, and never need SIGPIPE ignored: its sigaction is paid by
 * those that write otherwise (sendfile, splice, a pipe on fd 2). A CGI
 * script that the handler becomes inherits the disposition, so leaving it
 * at the default also leaves the script nothing to reset. */
#include "sigpipe.h"

#include <signal.h>
#include <stdbool.h>

void sigpipe_ignore(void)
{
	static bool ignored;
	if (!ignored) {
		signal(SIGPIPE, SIG_IGN);
		ignored = true;
	}
}
