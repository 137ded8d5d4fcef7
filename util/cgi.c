#include "cgi.h"

#include "status.h"

int cgi_exec(const struct config *cfg, const struct connection *c,
	     const struct request *rq, const struct target *t,
	     struct response *out, const char **why)
{
	*why = "CGI not built yet";
	return STATUS_NOT_IMPLEMENTED;
}
