/*
 * The C CGI script of bench/run: print a fixed body with no Content-Length,
 * so that the response ends at EOF, as most scripts' responses do.
 */
#include <unistd.h>

static const char out[] = "Content-Type: text/plain\r\n\r\nhello from a C CGI program\n";

int main(void)
{
	return write(1, out, sizeof out - 1) == (long)(sizeof out - 1) ? 0 : 1;
}
