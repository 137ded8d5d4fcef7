/* Every bound the handler enforces, with the status it answers when the
 * bound is crossed. The man page prints the same table; keep them in step.
 * No I/O: constants only. */
#ifndef CGIHANDLERD_BOUNDS_H
#define CGIHANDLERD_BOUNDS_H

/* Python's http.server limits (_MAXLINE, _MAXHEADERS), kept so that what
 * Python accepted, we accept. */
#define REQUEST_LINE_MAX   65536      /* bytes, CRLF included -> 414 */
#define HEADER_LINE_MAX    65536      /* bytes, CRLF included -> 431 */
#define HEADER_FIELDS_MAX  100        /* fields -> 431 */
/* Python has no total cap; 100 lines of 64 KiB would be 6.4 MiB. */
#define HEAD_MAX           (1024 * 1024)  /* whole head -> 431 */

#define HEAD_TIMEOUT_DEFAULT 30       /* seconds for the whole head -> 408 */

/* A chunked request body is decoded into a file before the script
 * starts; a git push of a few MiB must fit. */
#define MAX_BODY_DEFAULT (64LL * 1024 * 1024)  /* decoded bytes -> 413 */

/* --listen: handlers at once; more connections wait in the listen queue
 * (not refused). As many as cgihandlerd.socket's MaxConnections=. */
#define MAX_CHILDREN_DEFAULT 256

/* A script that never ends would hold its connection for ever; the
 * default wall-clock limit (--cgi-timeout) kills its process group. */
#define CGI_TIMEOUT_DEFAULT 600

/* A client that reads a file slower than this (bytes a second, on
 * average, once the first --timeout seconds have passed) is cut off
 * (--min-send-rate). */
#define MIN_SEND_RATE_DEFAULT 4096

/* After an answer of its own, the handler reads what the client is still
 * sending before it closes, so that the close is a FIN and not a reset
 * that could destroy the answer in flight: for at most this long, this
 * many seconds without a byte, and this many bytes. */
#define LINGER_TIME_MAX 10
#define LINGER_IDLE_MAX 2
#define LINGER_BYTES_MAX (16 * 1024 * 1024)

/* --proxy-protocol: a v1 line is at most 107 bytes by the spec; a v2
 * header may announce 16 + 65535, far more than addresses and the TLVs a
 * front end sends (SSL, AUTHORITY, UNIQUE_ID) need. */
#define PROXY_V1_MAX       107        /* bytes, CRLF included -> 400 */
#define PROXY_V2_MAX       4096       /* bytes, the 16 fixed included -> 400 */

#define URL_PATH_MAX       4096       /* decoded path -> 414 */

/* --auth: the file is read whole for each request, and Basic credentials
 * are bounded before they are decoded. A bad file fails closed (500). */
#define AUTH_FILE_MAX      (1024 * 1024)  /* bytes of the --auth file -> 500 */
#define AUTH_HASH_MAX      255        /* bytes of one hash in the file -> 500 */
#define AUTH_CREDENTIALS_MAX 1024     /* base64 after "Basic " -> 400 */
#define AUTH_USER_MAX      255        /* bytes of a user name -> 400 */

/* What execve(2) takes (Linux: MAX_ARG_STRLEN, and a share of ARG_MAX that
 * holds with the default 8 MiB stack). Checked before the status line, so
 * a request the exec would refuse (E2BIG) gets its answer. */
#define CGI_VARIABLE_MAX   (128 * 1024 - 1) /* one NAME=value -> 431 */
#define CGI_ENVIRONMENT_MAX (1536 * 1024)   /* all of envp and argv -> 431 */
#define LISTING_ENTRIES_MAX 100000    /* directory entries listed -> 500 */

/* A script may redirect internally (RFC 3875 6.2.2) to another script,
 * which may do the same: a bound stops a loop. */
#define LOCAL_REDIRECTS_MAX 5         /* local redirects from scripts -> 500 */

#endif
