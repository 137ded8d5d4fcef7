/* File name -> Content-Type, from a table generated at build time out of
 * Python's own mimetypes map on the build machine (its built-in table
 * plus /etc/mime.types). No I/O: nothing is read at run time. */
#ifndef CGIHANDLERD_MIME_H
#define CGIHANDLERD_MIME_H

/* Python's SimpleHTTPRequestHandler.guess_type: the extension as is, then
 * lower-cased, then mimetypes' suffix and encoding rules; default
 * "application/octet-stream". Never NULL. */
const char *guess_type(const char *name);

#endif
