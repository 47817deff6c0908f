package io.recur.registry;

/** Another process holds the registry's lease and it is not stale; nothing was changed. */
public final class LeaseHeldException extends RuntimeException {
    private final LeaseInfo holder;

    LeaseHeldException(String lease, LeaseInfo holder) {
        super(lease + " is held by " + holder.describe()
                + "; another retrain or registry change is running. Try again later, or, if its process is gone,"
                + " wait until the expiry or delete the lease file by hand");
        this.holder = holder;
    }

    public LeaseInfo holder() {
        return holder;
    }
}
