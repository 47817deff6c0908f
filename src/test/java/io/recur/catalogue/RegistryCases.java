package io.recur.catalogue;

import java.util.List;

/** Bad registries, leases and registry command lines. */
final class RegistryCases {
    private RegistryCases() {}

    static List<BadInput> rows() {
        return List.of();
    }
}
