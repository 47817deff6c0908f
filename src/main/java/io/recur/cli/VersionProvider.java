package io.recur.cli;

import io.recur.provenance.BuildInfo;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        BuildInfo b = BuildInfo.current();
        return new String[]{"recur " + b.recurVersion() + " (" + b.gitCommit() + ")",
                "DL4J " + b.dl4jVersion() + ", built for Spark " + b.sparkBuildVersion()};
    }
}
