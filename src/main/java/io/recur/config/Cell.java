package io.recur.config;

/** The recurrent cell of every layer. */
public enum Cell { RNN, LSTM, GRU }
