#!/bin/sh
# An nph- script writes the whole response, status line included.
printf 'HTTP/1.1 299 NPH Fine\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnph body\n'
