#!/bin/sh
# A plain answer, with a Server header the handler must not repeat.
printf 'Content-Type: text/plain\r\nX-Hello: yes\r\nServer: evil/1\r\n\r\nhello body\n'
