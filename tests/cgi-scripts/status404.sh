#!/bin/sh
printf 'Status: 404 Not Here\r\nContent-Type: text/plain\r\n\r\nnothing here\n'
