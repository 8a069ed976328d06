package dev.magnetar.cli;

import dev.magnetar.nativehost.NativeHost;
import dev.magnetar.util.DataDirectory;
import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code magnetar native-host [origin]}: what the browser's native-messaging manifest points at. Chrome
 * passes the caller's origin ({@code chrome-extension://ID/}) first (on Windows also
 * {@code --parent-window=N}); Firefox passes the manifest path and the add-on id. stdout belongs to the
 * browser channel, so anything else that prints is diverted to stderr. Register as a subcommand of {@link Main}.
 */
@Command(name = "native-host", mixinStandardHelpOptions = true, description = "Native messaging host for the browser extension (started by the browser).")
public final class NativeHostCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "ARG", description = "What the browser passes: the caller's origin first.")
    List<String> browserArgs = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        FileOutputStream channel = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true)); // stray prints must not corrupt frames
        // Buffered: FileInputStream.readNBytes seeks, which a pipe refuses ("Illegal seek").
        String origin = browserArgs.stream().filter(a -> !a.startsWith("--")).findFirst().orElse("unknown");
        return NativeHost.forDataDir(DataDirectory.resolve(), new BufferedInputStream(new FileInputStream(FileDescriptor.in)), channel, origin,
                Main.class.getName()).run();
    }
}
