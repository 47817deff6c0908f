package io.recur.catalogue;

import java.util.ArrayList;
import java.util.List;

/** All rows of the bad-input catalogue, by the part of recur that answers them. */
final class Catalogue {
    private Catalogue() {}

    static List<BadInput> rows() {
        List<BadInput> all = new ArrayList<>();
        all.addAll(CommandLineCases.rows());
        all.addAll(SpecCases.rows());
        all.addAll(CorpusCases.rows());
        all.addAll(TableCases.rows());
        all.addAll(RunFileCases.rows());
        all.addAll(PredictCases.rows());
        all.addAll(RegistryCases.rows());
        all.addAll(ExportCases.rows());
        all.addAll(ScoreCases.rows());
        all.addAll(ServeCases.rows());
        return all;
    }
}
