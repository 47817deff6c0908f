/** The command line: parses arguments, runs a job, maps failures to documented exit codes. */
package io.recur.cli;
