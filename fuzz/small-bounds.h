/* Forced in first (clang -include) by the "-small" fuzz builds: the limits
 * of util/bounds.h, same names and the same relations, scaled down so that
 * inputs of a few KiB cross every bound and every off-by-one is near. Its
 * guard shadows util/bounds.h, so a limit added there and missing here is
 * a compile error, not a silent mismatch. */
#ifndef CGIHANDLERD_BOUNDS_H
#define CGIHANDLERD_BOUNDS_H

#define REQUEST_LINE_MAX   64
#define HEADER_LINE_MAX    48
#define HEADER_FIELDS_MAX  6
#define HEAD_MAX           400
#define HEAD_TIMEOUT_DEFAULT 30
#define PROXY_V1_MAX       107
#define PROXY_V2_MAX       300
#define URL_PATH_MAX       40
#define CGI_VARIABLE_MAX   (128 - 1)
#define CGI_ENVIRONMENT_MAX 1536
#define LISTING_ENTRIES_MAX 10
#define LOCAL_REDIRECTS_MAX 2
#define AUTH_FILE_MAX      512
#define AUTH_HASH_MAX      24
#define AUTH_CREDENTIALS_MAX 32
#define AUTH_USER_MAX      8

#define FUZZ_SMALL_LIMITS 1

#endif
#define MAX_CHILDREN_DEFAULT 2
#define CGI_TIMEOUT_DEFAULT 600
#define MIN_SEND_RATE_DEFAULT 4096
#define LINGER_TIME_MAX 1
#define LINGER_IDLE_MAX 1
#define LINGER_BYTES_MAX 1024
#define MAX_BODY_DEFAULT 4096
