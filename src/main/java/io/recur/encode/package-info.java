/** Turning examples into DL4J minibatches: ids, masks for variable lengths, length buckets. No Spark here. */
package io.recur.encode;
