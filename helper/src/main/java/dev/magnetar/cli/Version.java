package dev.magnetar.cli;

import dev.magnetar.util.ProductVersion;
import picocli.CommandLine.IVersionProvider;

/** The helper's version for {@code magnetar --version} and the API (see {@link ProductVersion}). */
public final class Version implements IVersionProvider {

    public static String current() {
        return ProductVersion.current().full();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"magnetar " + current()};
    }
}
