/* SIGPIPE, ignored only by the handlers that may meet it. */
#ifndef CGIHANDLERD_SIGPIPE_H
#define CGIHANDLERD_SIGPIPE_H

/* From here on, a write to a reader that is gone fails with EPIPE instead
 * of killing the process. Call before a write(2), sendfile(2) or splice(2)
 * into a pipe or a socket; send(2) with MSG_NOSIGNAL needs none. Once per
 * process: later calls cost nothing. */
void sigpipe_ignore(void);

#endif
