/**
 * How recur keeps files on any Hadoop file system: atomic publish (a directory or file appears
 * complete under its name, or not at all, and never replaces another), SHA-256, the one JSON
 * mapper, which local file system to use, and which process owns a file in the making (a lease, a
 * run directory not yet published). Run directories, checkpoints, the registry and its lease all
 * go through here. Uses no other package of recur.
 */
package io.recur.storage;
