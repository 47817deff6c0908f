/** Reading corpora from Hadoop file systems, tokenizing, and the stable train / validation / test split. */
package io.recur.corpus;
