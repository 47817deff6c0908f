/** Token vocabularies and label sets: ids for tokens, stored with every model. No Spark here. */
package io.recur.vocab;
