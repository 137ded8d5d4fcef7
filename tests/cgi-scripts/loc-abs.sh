#!/bin/sh
printf 'Location: http://example.com/\r\n\r\n'
