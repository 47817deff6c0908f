package io.recur.registry;

/** Another live process holds the registry's lease; nothing was changed. */
public final class LeaseHeldException extends RuntimeException {
    private final LeaseInfo holder;

    LeaseHeldException(String lease, LeaseInfo holder, String why) {
        super(lease + " is held by " + holder.describe() + "; " + why);
        this.holder = holder;
    }

    public LeaseInfo holder() {
        return holder;
    }
}
