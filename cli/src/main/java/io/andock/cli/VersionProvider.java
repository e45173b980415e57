package io.andock.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[]{"andock version " + version() + ", Java " + System.getProperty("java.version")
                + ", " + System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch")};
    }
}
