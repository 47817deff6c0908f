package io.recur.serve;

/** A request the server refuses: the HTTP status and the message the client gets as {@code {"error": ...}}. */
final class BadRequest extends Exception {
    private final int status;

    BadRequest(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
