package dev.magnetar;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Executors' threads come from Netty's {@code DefaultThreadFactory} (named, daemon, one implementation)
 * rather than a lambda per executor that makes a thread and flags it daemon.
 */
class DaemonThreadsTest {

    /** Places that start one thread of their own and need no factory. */
    private static final Set<String> ONE_OFF_THREADS = Set.of(
            "dev.magnetar.daemon.ChainStart.begin", "dev.magnetar.daemon.Daemon.requestShutdown",
            "dev.magnetar.daemon.EngineOpening.begin", "dev.magnetar.api.ApiServer.prepareInBackground",
            "dev.magnetar.daemon.PortMappingSwitch.set", "dev.magnetar.daemon.Daemon.restoreSessionInBackground");

    @Test
    void noHelperCodeHandRollsADaemonThreadFactory() {
        DescribedPredicate<JavaMethodCall> setDaemonOutsideOneOffs = DescribedPredicate.describe(
                "Thread.setDaemon outside " + ONE_OFF_THREADS,
                call -> call.getTarget().getOwner().isEquivalentTo(Thread.class) && call.getName().equals("setDaemon")
                        && !ONE_OFF_THREADS.contains(call.getOrigin().getOwner().getName() + "." + call.getOrigin().getName()));
        noClasses().should().callMethodWhere(setDaemonOutsideOneOffs)
                .because("executors take io.netty.util.concurrent.DefaultThreadFactory(name, true)")
                .check(HelperClasses.production());
    }
}
